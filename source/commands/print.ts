import {colorEnabled, painter} from '../output/colors.js';
import {glyphs} from '../output/glyphs.js';
import {snapshot} from '../output/json-snapshot.js';
import {renderTextTree} from '../output/text-tree.js';
import {visibleDeep} from '../output/visible.js';
import {UserError} from '../errors.js';
import {duplicatedBytes, healthOf} from '../store/health.js';
import {formatBytes} from '../output/bytes.js';
import {daemonPaths} from '../store/selectors.js';
import {assertSomeRootReachable, takeSnapshot, type SnapshotOptions} from './snapshot.js';

export async function runJson(options: SnapshotOptions): Promise<number> {
	const {tree, explorer} = await takeSnapshot(options);
	explorer.stop();
	assertSomeRootReachable(tree, options.endpoints);
	process.stdout.write(`${JSON.stringify(snapshot(tree), null, 2)}\n`);
	return 0;
}

export async function runTree(options: SnapshotOptions & {color: boolean}): Promise<number> {
	const {tree, explorer} = await takeSnapshot(options);
	explorer.stop();
	assertSomeRootReachable(tree, options.endpoints);
	const paint = painter(colorEnabled(process.stdout, process.env, options.color));
	process.stdout.write(`${renderTextTree(visibleDeep(tree), paint, glyphs())}\n`);
	return 0;
}

/**
 * `dockerception doctor [PATH]`: every finding of every daemon (below PATH), a line each with its
 * fix; exit 1 when one is an error.
 */
export async function runDoctor(options: SnapshotOptions & {path?: string; color: boolean}): Promise<number> {
	// Disk use counts here: each daemon's /system/df is read before the snapshot settles.
	const {tree: raw, explorer} = await takeSnapshot({...options, storage: 'wait'});
	explorer.stop();
	assertSomeRootReachable(raw, options.endpoints);
	const tree = visibleDeep(raw);
	const paint = painter(colorEnabled(process.stdout, process.env, options.color));
	const paths = daemonPaths(tree).filter((path) => !options.path || path === options.path || path.startsWith(`${options.path}/`));
	if (options.path && paths.length === 0) throw new UserError(`no daemon at ${options.path} (see dockerception tree)`, 2);
	let errors = 0;
	let findings = 0;
	for (const path of paths) {
		for (const finding of healthOf(tree, path)) {
			if (finding.severity !== 'info') findings++;
			if (finding.severity === 'error') errors++;
			const tone = finding.severity === 'error' ? 'red' : finding.severity === 'warning' ? 'yellow' : 'dim';
			process.stdout.write(`${paint('bold', path)}  ${paint(tone, finding.severity)}  ${finding.code}: ${finding.message}\n    fix: ${finding.fix}\n`);
		}
	}
	// Notes (info) are printed, but they are not something wrong.
	if (findings === 0) process.stdout.write(`nothing wrong found in ${paths.length} daemon${paths.length === 1 ? '' : 's'}\n`);
	const duplicated = duplicatedBytes(tree);
	if (duplicated > 0 && !options.path)
		process.stdout.write(`images stored in more than one daemon of the tree: ${formatBytes(duplicated)} kept twice or more\n`);
	return errors > 0 ? 1 : 0;
}
