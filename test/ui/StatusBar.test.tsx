import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {Bindings} from '../../source/ui/commands/registry.js';
import {StatusBar} from '../../source/ui/StatusBar.js';

const base = {
	width: 140,
	breadcrumb: 'default/dind-a',
	route: 'unix socket /x',
	mode: 'DinD',
	hints: new Bindings().hints(true),
	filterEditing: false,
	filter: '',
};

describe('StatusBar', () => {
	it('shows where you are, the route, the mode and the hints; a message takes their place', () => {
		expect(render(<StatusBar {...base} message={undefined} />).lastFrame()).toContain('default/dind-a  unix socket /x · mode DinD · n new · m mode');
		const withMessage = render(<StatusBar {...base} message={{text: 'dind-a stopped', tone: 'success'}} />).lastFrame();
		expect(withMessage).toContain('dind-a stopped');
		expect(withMessage).not.toContain('n new');
	});

	it('shows the : line with its first completion, that completion’s key and help, and the others', () => {
		const bindings = new Bindings();
		const frame = render(<StatusBar {...base} message={undefined} command={{text: 'st', completions: bindings.completions('st')}} />).lastFrame();
		expect(frame).toContain(':st');
		expect(frame).toContain('stop-start (s) stop / start');
		const nothing = render(<StatusBar {...base} message={undefined} command={{text: 'zz', completions: []}} />).lastFrame();
		expect(nothing).toContain('no such command');
	});

	it('shows the filter being typed', () => {
		expect(render(<StatusBar {...base} message={undefined} filterEditing filter="inner" />).lastFrame()).toContain('/ inner');
	});
});
