import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';

/** Every package the bundle took code from (esbuild's metafile, written by the build) has its licence shipped. */
describe('third-party notices', () => {
	it('name every bundled package with its licence text', () => {
		const packages = JSON.parse(readFileSync('dist/bundle-packages.json', 'utf8')) as Array<{name: string; version: string; licence: string}>;
		const notices = readFileSync('dist/bin/THIRD-PARTY-NOTICES.txt', 'utf8');
		expect(packages.map((entry) => entry.name)).toEqual(expect.arrayContaining(['ink', 'react', 'dockerode', 'yoga-layout', 'string-width']));
		const sections = notices.split(/^-{78}$/m).slice(1);
		for (const entry of packages) {
			const section = sections.find((text) => text.trimStart().startsWith(`${entry.name} ${entry.version} (`));
			expect(section, `${entry.name}@${entry.version}`).toBeDefined();
			// A licence text, not only a name: a copyright line or the licence's own words.
			expect(section!.length, `${entry.name}@${entry.version}`).toBeGreaterThan(200);
			expect(section, `${entry.name}@${entry.version}`).toMatch(/copyright|permission|licen[cs]e/i);
		}
		// ssh2 and its native addon are not in the bundle: ssh goes through the system ssh.
		expect(packages.map((entry) => entry.name)).not.toContain('ssh2');
	});
});
