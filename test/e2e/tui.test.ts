import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import type {ReferenceTopology} from '../lab/topology.js';
import {buildReferenceTopology, e2eSkipped, labClient, labLogTail, referenceNames, removeContainers, runBusybox} from '../lab/lab.js';
import {cliTerminal} from '../lab/seat.js';
import {glyphColumn, type TmuxSession} from '../lab/tmux.js';

describe.skipIf(e2eSkipped)('the TUI in a real terminal', () => {
	let host: DaemonClient;
	let topology: ReferenceTopology;
	let session: TmuxSession;

	beforeAll(async () => {
		host = labClient();
		topology = await buildReferenceTopology(host);
		// CI=1 as on a CI runner: a person at a terminal there still gets live frames and colours.
		session = cliTerminal('', {
			diagnostics: labLogTail,
			env: {LANG: 'C.UTF-8', CI: '1'},
			columns: 120,
			rows: 40,
		});
	});

	afterAll(async () => {
		session?.kill();
		topology?.close();
		if (host) await removeContainers(host, referenceNames.host);
		host?.close();
	});

	it('shows every container of the lab at its depth', async () => {
		const all = [...referenceNames.host, ...referenceNames.dindA, ...referenceNames.dindB, ...referenceNames.dindB1];
		const took = await session.waitFor((screen) => all.every((name) => glyphColumn(screen, name) >= 0), 10_000, 'all 17 containers');
		console.log(`[tui] whole lab on screen ${took} ms after launch (incl. node start-up)`);
		const screen = session.screen();
		const column = (name: string) => glyphColumn(screen, name);
		for (const name of referenceNames.host) expect(column(name), name).toBe(column('dind-a'));
		for (const name of [...referenceNames.dindA]) expect(column(name), name).toBe(column('dind-a') + 3);
		for (const name of [...referenceNames.dindB]) expect(column(name), name).toBe(column('dind-b') + 3);
		for (const name of referenceNames.dindB1) expect(column(name), name).toBe(column('dind-b1') + 3);
		expect(screen).toMatch(/dood\s+socket\s+⇢ shares default/);
		expect(screen).toMatch(/dind-b1\s+DinD\s+20\.10\.24 · 4 ctrs/);
		expect(session.display('#{alternate_on}')).toBe('1');
		// Running is green, stopped is grey, the DinD kind magenta.
		const coloured = (name: string) =>
			session
				.colouredScreen()
				.split('\n')
				.find((line) => line.includes(` ${name} `)) ?? '';
		expect(coloured('plain-1')).toMatch(/\x1b\[32m(?:\x1b\[49m)?●/);
		expect(coloured('plain-3')).toMatch(/\x1b\[90m(?:\x1b\[49m)?○/);
		expect(coloured('dind-a')).toMatch(/\x1b\[35mDinD/);
	});

	it('shows a container started at depth 3 while it runs', async () => {
		await runBusybox(topology.dindB1.client, 'late-c5');
		try {
			const took = await session.waitFor((screen) => glyphColumn(screen, 'late-c5') >= 0, 5000, 'late-c5');
			console.log(`[tui] late-c5 on screen ${took} ms after docker run returned`);
			const screen = session.screen();
			expect(glyphColumn(screen, 'late-c5')).toBe(glyphColumn(screen, 'inner-c1'));
		} finally {
			await removeContainers(topology.dindB1.client, ['late-c5']);
		}
		await session.waitFor((screen) => glyphColumn(screen, 'late-c5') < 0, 5000, 'late-c5 gone');
	});

	it('re-lays out on resize and never draws past the last row', async () => {
		session.resize(70, 24);
		await session.waitFor(
			(screen) => screen.split('\n').some((line) => /^┌.*┐$/.test(line.trimEnd()) && line.trimEnd().length === 70),
			3000,
			'a 70-column frame',
		);
		const lines = session.screen().split('\n');
		expect(lines.every((line) => line.trimEnd().length <= 70)).toBe(true);
		// The frame is at most rows-1 tall: the last row stays empty.
		expect(lines[23]?.trim() ?? '').toBe('');
		session.resize(120, 40);
		await session.waitFor((screen) => glyphColumn(screen, 'inner-c1') >= 0 && /┐┌/.test(screen), 3000, 'the wide layout again');
	});

	it('q quits and gives the terminal back', async () => {
		session.keys('q');
		await session.waitFor((screen) => screen.includes('EXIT=0'), 5000, 'the exit code');
		expect(session.display('#{alternate_on}')).toBe('0');
		expect(session.display('#{cursor_flag}')).toBe('1');
		expect(session.screen()).not.toContain('dind-b1');
	});
});
