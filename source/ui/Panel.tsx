import {Box} from 'ink';
import {Text} from './Text.js';
import type {ReactNode} from 'react';
import {truncate} from './format.js';

interface PanelProps {
	title: string;
	width: number;
	height: number;
	focused: boolean;
	ascii: boolean;
	children: ReactNode;
}

/** A bordered panel whose title sits in the top border, like lazydocker's. */
export function Panel({title, width, height, focused, ascii, children}: PanelProps) {
	const color = focused ? 'cyan' : 'gray';
	const [left, line, right] = ascii ? ['+', '-', '+'] : ['┌', '─', '┐'];
	const label = truncate(` ${title} `, Math.max(0, width - 4));
	const top = `${left}${line}${label}${line.repeat(Math.max(0, width - 3 - label.length))}${right}`;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text color={color} bold={focused}>
				{top}
			</Text>
			<Box flexDirection="column" width={width} height={height - 1} borderStyle={ascii ? 'classic' : 'single'} borderTop={false} borderColor={color}>
				{children}
			</Box>
		</Box>
	);
}
