import {Box, Text} from 'ink';
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
	const left = ` ${breadcrumb}`;
	const middle = `  ${route}  mode: ${mode}`;
	const tone = message?.tone === 'error' ? 'red' : message?.tone === 'success' ? 'green' : 'yellow';
	const right = message ? `  ${message.text}` : `  ${hints}`;
	const room = Math.max(0, width - left.length - middle.length);
	return (
		<Box width={width} height={1}>
			<Text wrap="truncate-end">
				<Text bold>{truncate(left, width)}</Text>
				<Text dimColor>{truncate(middle, Math.max(0, width - left.length))}</Text>
				{message ? <Text color={tone}>{truncate(right, room)}</Text> : <Text dimColor>{truncate(right, room)}</Text>}
			</Text>
		</Box>
	);
}
