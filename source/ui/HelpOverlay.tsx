import {Box} from 'ink';
import {Text} from './Text.js';
import {shownKeys, type Bindings} from './commands/registry.js';
import {padEnd} from './format.js';

/** Every command with its keys, grouped; generated from the registry (user keys included). */
export function HelpOverlay({width, height, bindings}: {width: number; height: number; bindings: Bindings}) {
	const twoColumns = width >= 80;
	const columns = twoColumns ? [['Move', 'View'] as const, ['Act'] as const] : [['Move', 'View', 'Act'] as const];
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor="cyan" paddingX={1}>
			<Text bold color="cyan">
				dockerception keys <Text dimColor>(esc or ? closes · : runs any command by name)</Text>
			</Text>
			<Box flexDirection={twoColumns ? 'row' : 'column'}>
				{columns.map((column) => (
					<Box key={column.join()} flexDirection="column" width={twoColumns ? Math.floor((width - 4) / 2) : width - 4}>
						{column.map((group) => (
							<Box key={group} flexDirection="column">
								<Text bold>{group}</Text>
								{bindings.commands
									.filter((command) => command.group === group)
									.map((command) => (
										<Text key={command.name} wrap="truncate-end">
											<Text color="cyan">{padEnd(shownKeys(command), 9)}</Text>
											{command.help}
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
