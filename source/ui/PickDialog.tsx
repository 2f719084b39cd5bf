import {Text} from './Text.js';
import {useKeys} from './key-router.js';
import {useRef, useState} from 'react';
import {Dialog, editText, Field} from './Dialog.js';
import {padEnd} from './format.js';

export interface PickItem {
	label: string;
	detail: string;
}

interface PickDialogProps {
	title: string;
	items: PickItem[];
	/** Ask for a command too (new container). */
	withCommand?: boolean;
	width: number;
	height: number;
	onPick: (item: PickItem, command: string) => void;
	onCancel: () => void;
}

/** Choose one item (an image) from a list; optionally type a command for it. */
export function PickDialog({title, items, withCommand, width, height, onPick, onCancel}: PickDialogProps) {
	const [index, setIndexState] = useState(0);
	const [command, setCommandState] = useState('');
	// Keys can arrive faster than renders: handlers read the latest values from here.
	const latest = useRef({index, command});
	const setIndex = (update: (current: number) => number) => {
		latest.current.index = update(latest.current.index);
		setIndexState(latest.current.index);
	};
	const setCommand = (next: string) => {
		latest.current.command = next;
		setCommandState(next);
	};
	const rows = Math.max(1, height - (withCommand ? 6 : 4));
	const top = Math.max(0, Math.min(index - Math.floor(rows / 2), items.length - rows));
	useKeys((input, key) => {
		const {index, command} = latest.current;
		if (key.escape) onCancel();
		else if (key.return && items[index]) onPick(items[index]!, command.trim());
		else if (key.upArrow) setIndex((i) => Math.max(0, i - 1));
		else if (key.downArrow) setIndex((i) => Math.min(items.length - 1, i + 1));
		else if (key.pageUp) setIndex((i) => Math.max(0, i - rows));
		else if (key.pageDown) setIndex((i) => Math.min(items.length - 1, i + rows));
		else if (withCommand) {
			const edited = editText(command, input, key);
			if (edited !== undefined) setCommand(edited);
		} else if (input === 'k') setIndex((i) => Math.max(0, i - 1));
		else if (input === 'j') setIndex((i) => Math.min(items.length - 1, i + 1));
	});
	return (
		<Dialog title={title} width={width} height={height} hint={`↑↓ choose · ${withCommand ? 'type a command (optional) · ' : ''}enter ok · esc cancel`}>
			{items.length === 0 ? <Text color="yellow">nothing to choose from</Text> : null}
			{items.slice(top, top + rows).map((item, offset) => (
				<Text key={item.label} inverse={top + offset === index} wrap="truncate-end">
					{padEnd(item.label, Math.max(10, width - 18))} {item.detail}
				</Text>
			))}
			{withCommand ? <Field label="command" value={command} focused placeholder="the image's default" /> : null}
		</Dialog>
	);
}
