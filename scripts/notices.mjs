// THIRD-PARTY-NOTICES.txt for the bundle: every package esbuild took code from (its metafile),
// with its licence text, shipped next to the bundle in dist/bin. A bundled package without a
// licence text fails the build. dist/bundle-packages.json lists them for the tests (not shipped).
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/** Packages whose code is in the bundle without esbuild seeing their files (ported into source/). */
const ported = [
	{dir: 'node_modules/string-width', why: 'source/ui/string-width.ts is a port of it'},
	{dir: 'node_modules/ink', why: 'source/ui/ink-output.ts is a port of its Output; its other modules are bundled'},
];

function packageDir(input) {
	const parts = input.split('/');
	const last = parts.lastIndexOf('node_modules');
	if (last === -1) return undefined;
	const scoped = parts[last + 1]?.startsWith('@');
	return parts.slice(0, last + (scoped ? 3 : 2)).join('/');
}

export function writeNotices(metafile) {
	const dirs = new Map();
	for (const input of Object.keys(metafile.inputs)) {
		const dir = packageDir(input);
		if (dir) dirs.set(dir, undefined);
	}
	for (const {dir, why} of ported) dirs.set(dir, why);
	const entries = [];
	const missing = [];
	for (const [dir, why] of [...dirs].sort(([a], [b]) => a.localeCompare(b))) {
		const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
		const licence = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'unknown');
		const file = existsSync(dir) ? readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|-|$)/i.test(name)) : undefined;
		// A package that declares a licence but ships no text: scripts/licences/ has it, saying so.
		const supplied = join('scripts', 'licences', `${manifest.name.replace('/', '__')}.txt`);
		const path = file ? join(dir, file) : existsSync(supplied) ? supplied : undefined;
		if (!path) {
			missing.push(`${manifest.name}@${manifest.version} (${dir})`);
			continue;
		}
		entries.push({name: manifest.name, version: manifest.version, licence, text: readFileSync(path, 'utf8').trim(), why});
	}
	if (missing.length > 0) throw new Error(`bundle: no licence text in ${missing.join(', ')}`);
	const unique = [...new Map(entries.map((entry) => [`${entry.name}@${entry.version}`, entry])).values()];
	const text = [
		'dockerception bundles code from the packages below. Their licences follow.',
		'',
		...unique.flatMap((entry) => ['-'.repeat(78), `${entry.name} ${entry.version} (${entry.licence})${entry.why ? `: ${entry.why}` : ''}`, '', entry.text, '']),
	].join('\n');
	writeFileSync('dist/bin/THIRD-PARTY-NOTICES.txt', text);
	writeFileSync(
		'dist/bundle-packages.json',
		JSON.stringify(
			unique.map(({name, version, licence}) => ({name, version, licence})),
			null,
			'\t',
		),
	);
}
