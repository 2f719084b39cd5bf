import {colorEnabled, painter} from '../output/colors.js';
import {glyphs} from '../output/glyphs.js';
import {snapshot} from '../output/json-snapshot.js';
import {renderTextTree} from '../output/text-tree.js';
import {visibleDeep} from '../output/visible.js';
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
