import {Box} from 'ink';
import {Text} from './Text.js';
import {keymap, type Intent} from './keymap.js';
import {padEnd} from './format.js';

/** Every key, grouped, with what is not available yet marked as such. */
export function HelpOverlay({width, height, unavailable}: {width: number; height: number; unavailable: ReadonlySet<Intent>}) {
	const twoColumns = width >= 80;
	const columns = twoColumns ? [['Move', 'View'] as const, ['Act'] as const] : [['Move', 'View', 'Act'] as const];
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor="cyan" paddingX={1}>
			<Text bold color="cyan">
				dockerception keys <Text dimColor>(esc or ? closes)</Text>
			</Text>
			<Box flexDirection={twoColumns ? 'row' : 'column'}>
				{columns.map((column) => (
					<Box key={column.join()} flexDirection="column" width={twoColumns ? Math.floor((width - 4) / 2) : width - 4}>
						{column.map((group) => (
							<Box key={group} flexDirection="column">
								<Text bold>{group}</Text>
								{keymap
									.filter((binding) => binding.group === group)
									.map((binding) => (
										<Text key={binding.intent} wrap="truncate-end" dimColor={unavailable.has(binding.intent)}>
											<Text color="cyan">{padEnd(binding.keys, 9)}</Text>
											{binding.help}
											{unavailable.has(binding.intent) ? ' (not built yet)' : ''}
										</Text>
									))}
							</Box>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
