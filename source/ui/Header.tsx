import {Box} from 'ink';
import {Text} from './Text.js';
import Spinner from 'ink-spinner';
import type {TreeState} from '../store/model.js';
import {truncate} from './format.js';

/** The top line: the product, the roots, and how many daemons are still connecting. */
export function Header({tree, width}: {tree: TreeState; width: number}) {
	const daemons = Object.values(tree.daemons);
	const connecting = daemons.filter((d) => d.status === 'connecting').length;
	const unreachable = daemons.filter((d) => d.status === 'unreachable').length;
	const roots = tree.roots.map((path) => `${path} (${tree.daemons[path]?.route ?? '?'})`).join(', ');
	const counts = `${daemons.length} daemon${daemons.length === 1 ? '' : 's'}`;
	const left = ` dockerception · ${roots} · ${counts}`;
	const right = '? help ';
	return (
		<Box width={width} height={1}>
			<Box flexGrow={1}>
				<Text wrap="truncate-end">
					<Text bold color="cyan">
						{truncate(left, Math.max(0, width - right.length - 24))}
					</Text>
					{connecting > 0 ? (
						<Text color="yellow">
							{'  '}
							<Spinner type="dots" /> {connecting} connecting
						</Text>
					) : null}
					{unreachable > 0 ? <Text color="red"> {unreachable} unreachable</Text> : null}
				</Text>
			</Box>
			<Text dimColor>{right}</Text>
		</Box>
	);
}
