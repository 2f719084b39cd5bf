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
	/** A `:` command being typed, and what it can become. */
	command?: {text: string; completions: Array<{text: string; keys: string; help: string}>} | undefined;
}

/** The bottom line: where you are, how it is reached, the spawn mode, keys, the last message. */
export function StatusBar({width, breadcrumb, route, mode, hints, message, filterEditing, filter, command}: StatusBarProps) {
	if (command) {
		const [first, ...others] = command.completions;
		const matches = first
			? `  ${first.text} (${first.keys || 'no key'}) ${first.help}${others.length > 0 ? ` · ${others.map((other) => other.text).join(' · ')}` : ''}`
			: '  no such command';
		return (
			<Box width={width} height={1}>
				<Text wrap="truncate-end">
					<Text color="cyan">:</Text>
					<Text>{command.text}</Text>
					<Text inverse> </Text>
					<Text dimColor>{matches} tab completes · enter runs · esc</Text>
				</Text>
			</Box>
		);
	}
	if (filterEditing) {
		return (
			<Box width={width} height={1}>
				<Text wrap="truncate-end">
					<Text color="cyan">/ </Text>
					<Text>{filter}</Text>
					<Text inverse> </Text>
					<Text dimColor> enter keep · esc clear</Text>
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
