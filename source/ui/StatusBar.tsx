import {Box} from 'ink';
import {Text} from './Text.js';
import {truncate} from './format.js';

export interface StatusMessage {
	text: string;
	tone: 'error' | 'info' | 'success';
}

interface StatusBarProps {
	width: number;
	breadcrumb: string;
	route: string;
	mode: string;
	hints: string;
	message: StatusMessage | undefined;
	filterEditing: boolean;
	filter: string;
}

/** The bottom line: where you are, how it is reached, the spawn mode, keys, the last message. */
export function StatusBar({width, breadcrumb, route, mode, hints, message, filterEditing, filter}: StatusBarProps) {
	if (filterEditing) {
		return (
			<Box width={width} height={1}>
				<Text wrap="truncate-end">
					<Text color="cyan">/ </Text>
					<Text>{filter}</Text>
					<Text inverse> </Text>
					<Text dimColor>  enter keep · esc clear</Text>
				</Text>
			</Box>
		);
	}
	// A message wins the space: the route and hints step aside until it is cleared.
	const left = ` ${breadcrumb}`;
	const tone = message?.tone === 'error' ? 'red' : message?.tone === 'success' ? 'green' : 'yellow';
	const rest = Math.max(0, width - left.length);
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate-end">
				<Text bold>{truncate(left, width)}</Text>
				{message ? (
					<Text color={tone}>{truncate(`  ${message.text}`, rest)}</Text>
				) : (
					<Text dimColor>{truncate(`  ${route} · mode ${mode} · ${hints}`, rest)}</Text>
				)}
			</Text>
		</Box>
	);
}
