import {Box} from 'ink';
import {Text} from './Text.js';
import type {TreeState} from '../store/model.js';
import type {TreeRow} from '../store/tree-rows.js';
import type {GlyphSet} from '../output/glyphs.js';
import {Panel} from './Panel.js';
import {TreeRowView} from './TreeRowView.js';

interface TreePanelProps {
	tree: TreeState;
	rows: readonly TreeRow[];
	selectedIndex: number;
	scrollTop: number;
	width: number;
	height: number;
	focused: boolean;
	marked: string | undefined;
	filter: string;
	now: number;
	glyphs: GlyphSet;
	ascii: boolean;
}

/** The tree: only the visible window of rows is rendered (Ink's cost grows with rows drawn). */
export function TreePanel(props: TreePanelProps) {
	const {tree, rows, selectedIndex, scrollTop, width, height, focused, marked, glyphs} = props;
	const inner = width - 2;
	const visibleCount = Math.max(0, height - 2);
	const visible = rows.slice(scrollTop, scrollTop + visibleCount);
	const longest = visible.reduce((max, row) => {
		const name = row.containerKey ? (tree.containers[row.containerKey]?.name.length ?? 0) : 0;
		// guides (3 per level) + toggle + glyph and space + name
		return Math.max(max, Math.max(0, row.depth) * 3 + 3 + name);
	}, 12);
	const nameWidth = Math.min(longest + 1, Math.floor(inner * 0.45));
	const layout = {width: inner, nameWidth, now: props.now, glyphs};
	const root = rows[0] ? tree.daemons[rows[0].daemonPath] : undefined;
	const total = Object.keys(tree.containers).length;
	const title = `${root?.path ?? 'dockerception'} ─ ${total} container${total === 1 ? '' : 's'}${props.filter ? ` ─ filter "${props.filter}"` : ''}${
		rows.length > visibleCount ? ` ─ ${scrollTop + 1}-${Math.min(rows.length, scrollTop + visibleCount)}/${rows.length}` : ''
	}`;
	return (
		<Panel title={title} width={width} height={height} focused={focused} ascii={props.ascii}>
			{visible.length === 0 ? (
				<Text dimColor>{props.filter ? `nothing matches "${props.filter}" (esc clears the filter)` : 'no daemons'}</Text>
			) : (
				visible.map((row, index) => (
					<Box key={row.id} width={inner} height={1}>
						<TreeRowView
							row={row}
							tree={tree}
							selected={scrollTop + index === selectedIndex}
							dimSelection={!focused}
							marked={marked !== undefined && row.opensDaemon === marked}
							layout={layout}
						/>
					</Box>
				))
			)}
		</Panel>
	);
}
