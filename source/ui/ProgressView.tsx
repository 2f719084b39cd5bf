import {Text} from './Text.js';
import {Dialog} from './Dialog.js';
import {formatBytes} from './format.js';

/** Image copy: bytes streamed so far as a bar (the size is known from the image's inspect). */
export function ProgressView({
	title,
	bytes,
	total,
	width,
	height,
	ascii,
}: {
	title: string;
	bytes: number;
	total: number | undefined;
	width: number;
	height: number;
	ascii: boolean;
}) {
	const barWidth = Math.max(10, width - 30);
	// docker save's tar is a little larger than the image: cap the bar, keep the bytes honest.
	const ratio = total ? Math.min(1, bytes / total) : 0;
	const filled = Math.round(barWidth * ratio);
	const [full, empty] = ascii ? ['#', '-'] : ['█', '░'];
	return (
		<Dialog title={title} width={width} height={height} hint="esc hides this (the copy goes on)">
			<Text>
				<Text color="cyan">{full.repeat(filled)}</Text>
				<Text dimColor>{empty.repeat(barWidth - filled)}</Text> {total ? `${Math.round(ratio * 100)}%` : ''}
			</Text>
			<Text>
				{formatBytes(bytes)}
				{total ? ` of ~${formatBytes(total)}` : ''}
			</Text>
		</Dialog>
	);
}
