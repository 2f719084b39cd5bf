import {Text} from './Text.js';
import {useKeys} from './key-router.js';
import {useEffect, useRef, useState} from 'react';
import type {LogLine} from '../daemon/logs.js';
import {Dialog} from './Dialog.js';

interface LogsViewProps {
	title: string;
	/** Start following; returns the function that stops it. */
	follow: (onLines: (lines: LogLine[]) => void) => Promise<() => void>;
	width: number;
	height: number;
	onClose: () => void;
}

const maxLines = 5000;

/** `l`: the last 200 lines then live, stderr in red; scroll up to read, G to follow again. */
export function LogsView({title, follow, width, height, onClose}: LogsViewProps) {
	const [lines, setLines] = useState<LogLine[]>([]);
	const [error, setError] = useState<string>();
	// undefined: following the end; a number: the first line shown.
	const [top, setTop] = useState<number | undefined>();
	const rows = Math.max(1, height - 4);

	useEffect(() => {
		let stop: (() => void) | undefined;
		let closed = false;
		follow((incoming) => setLines((current) => [...current, ...incoming].slice(-maxLines))).then(
			(stopper) => {
				if (closed) stopper();
				else stop = stopper;
			},
			(failure: unknown) => setError(String((failure as Error)?.message ?? failure)),
		);
		return () => {
			closed = true;
			stop?.();
		};
	}, [follow]);

	const lastTop = Math.max(0, lines.length - rows);
	const first = top === undefined ? lastTop : Math.min(top, lastTop);
	const lastTopRef = useRef(lastTop);
	lastTopRef.current = lastTop;
	// Functional updates: several keys can arrive before the next render.
	const scroll = (by: number) =>
		setTop((current) => {
			const end = lastTopRef.current;
			const next = (current === undefined ? end : Math.min(current, end)) + by;
			return next >= end ? undefined : Math.max(0, next);
		});
	useKeys((input, key) => {
		if (key.escape || input === 'q') onClose();
		else if (key.upArrow || input === 'k') scroll(-1);
		else if (key.downArrow || input === 'j') scroll(1);
		else if (key.pageUp) scroll(-rows);
		else if (key.pageDown) scroll(rows);
		else if (input === 'g' || key.home) setTop(0);
		else if (input === 'G' || key.end) setTop(undefined);
	});

	const shown = lines.slice(first, first + rows);
	return (
		<Dialog
			title={`${title} ${top === undefined ? '· following' : `· line ${first + 1}/${lines.length}`}`}
			width={width}
			height={height}
			hint="↑↓ PgUp PgDn scroll · G follow · esc back"
		>
			{error ? <Text color="red">✕ {error}</Text> : null}
			{shown.map((line, index) => (
				// The line's own colours are kept (as a terminal shows `docker logs`), every other control made visible.
				<Text key={first + index} sgr wrap="truncate-end" color={line.stream === 'stderr' ? 'red' : undefined}>
					{line.text.replace(/\t/g, '  ')}
				</Text>
			))}
			{lines.length === 0 && !error ? <Text dimColor>no output yet</Text> : null}
		</Dialog>
	);
}
