import {Box} from 'ink';
import {Text} from './Text.js';
import type {ReactNode} from 'react';

/** The frame every overlay uses: full width and height, a title, a key hint at the bottom. */
export function Dialog({
	title,
	width,
	height,
	hint,
	tone = 'cyan',
	children,
}: {
	title: string;
	width: number;
	height: number;
	hint: string;
	tone?: string;
	children: ReactNode;
}) {
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={tone} paddingX={1}>
			<Text bold color={tone}>
				{title}
			</Text>
			<Box flexDirection="column" flexGrow={1}>
				{children}
			</Box>
			<Text dimColor>{hint}</Text>
		</Box>
	);
}

/** A one-line text field: the value, and a block cursor when it has focus. */
export function Field({
	label,
	value,
	focused,
	placeholder,
	problem,
}: {
	label: string;
	value: string;
	focused: boolean;
	placeholder?: string;
	problem?: string | undefined;
}) {
	return (
		<Text wrap="truncate-end">
			<Text color={focused ? 'cyan' : undefined} bold={focused}>
				{label.padEnd(8)}
			</Text>
			{value === '' && placeholder ? <Text dimColor>{placeholder}</Text> : <Text>{value}</Text>}
			{focused ? <Text inverse> </Text> : null}
			{problem ? <Text color="red"> {problem}</Text> : null}
		</Text>
	);
}

/**
 * Apply a key to a text field's value; undefined when the key is not for the field.
 * A chunk can hold several keys (fast typing, a paste): backspace (DEL) and ctrl-u inside it
 * edit, enter ends it (the caller sees it in `input`), other control bytes are dropped.
 */
export function editText(
	value: string,
	input: string,
	key: {
		backspace: boolean;
		delete: boolean;
		ctrl: boolean;
		meta: boolean;
		tab: boolean;
		return: boolean;
		escape: boolean;
		upArrow: boolean;
		downArrow: boolean;
		leftArrow: boolean;
		rightArrow: boolean;
	},
): string | undefined {
	if (key.backspace || key.delete) return value.slice(0, -1);
	if (key.ctrl && input === 'u') return '';
	if (key.ctrl || key.meta || key.tab || key.return || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return undefined;
	if (!input) return undefined;
	let next = value;
	for (const char of input) {
		if (char === '\r' || char === '\n') break;
		if (char === '\u007F' || char === '\b') next = next.slice(0, -1);
		else if (char === '\u0015') next = '';
		else if (char >= ' ') next += char;
	}
	return next === value && !/[\u007F\b\u0015]/.test(input) ? undefined : next;
}
