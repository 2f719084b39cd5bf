import {Text} from './Text.js';
import {useKeys} from './key-router.js';
import {useRef} from 'react';
import {Dialog} from './Dialog.js';

export interface ConfirmRequest {
	title: string;
	lines: string[];
	/** Words for yes, e.g. "remove". */
	action: string;
	onAnswer: (yes: boolean) => void;
}

/** Asks before anything is removed or recreated. No is the default: enter alone says no. */
export function ConfirmDialog({request, width, height}: {request: ConfirmRequest; width: number; height: number}) {
	// One answer only, even when keys come faster than the dialog closes.
	const answered = useRef(false);
	const answer = (yes: boolean) => {
		if (answered.current) return;
		answered.current = true;
		request.onAnswer(yes);
	};
	useKeys((input, key) => {
		if (input === 'y' || input === 'Y') answer(true);
		else if (input === 'n' || input === 'N' || key.escape || key.return || input === 'q') answer(false);
	});
	return (
		<Dialog title={request.title} width={width} height={height} hint={`y ${request.action} · n / esc / enter keep it (default)`} tone="yellow">
			{request.lines.map((line, index) => (
				<Text key={index} wrap="truncate-end" color={line.startsWith('⚠') ? 'yellow' : undefined}>
					{line}
				</Text>
			))}
			<Text> </Text>
			<Text bold>
				{request.action}? <Text color="yellow">[y/N]</Text>
			</Text>
		</Dialog>
	);
}
