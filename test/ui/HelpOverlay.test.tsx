import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {allCommands, Bindings} from '../../source/ui/commands/registry.js';
import {HelpOverlay} from '../../source/ui/HelpOverlay.js';

describe('HelpOverlay', () => {
	it('lists every command of the registry, with the keys the user gave', () => {
		const frame = render(<HelpOverlay width={120} height={40} bindings={new Bindings({logs: 'L'})} />).lastFrame() ?? '';
		for (const command of allCommands) expect(frame, command.name).toContain(command.help);
		expect(frame).toMatch(/L\s+follow logs/);
		expect(frame).toMatch(/↑ k\s+move up/);
	});
});
