import {Box, Text} from 'ink';
import {keymap, type Intent} from './keymap.js';
import {padEnd} from './format.js';

/** Every key, grouped, with what is not available yet marked as such. */
export function HelpOverlay({width, height, unavailable}: {width: number; height: number; unavailable: ReadonlySet<Intent>}) {
	const groups = ['Move', 'View', 'Act'] as const;
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor="cyan" paddingX={1}>
			<Text bold color="cyan">
				dockerception keys <Text dimColor>(esc or ? closes)</Text>
			</Text>
			<Box flexDirection={width >= 100 ? 'row' : 'column'}>
				{groups.map((group) => (
					<Box key={group} flexDirection="column" width={width >= 100 ? Math.floor((width - 4) / (group === 'Act' ? 2.4 : 3.6)) : width - 4}>
						<Text bold>{group}</Text>
						{keymap
							.filter((binding) => binding.group === group)
							.map((binding) => (
								<Text key={binding.intent} wrap="truncate-end" dimColor={unavailable.has(binding.intent)}>
									<Text color="cyan">{padEnd(binding.keys, 9)}</Text>
									{binding.help}
									{unavailable.has(binding.intent) ? ' (not available yet)' : ''}
								</Text>
							))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
