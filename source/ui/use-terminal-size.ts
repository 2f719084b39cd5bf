import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
	columns: number;
	rows: number;
}

/** Columns and rows of the terminal, updated on resize (Ink 6 has no hook for it). */
export function useTerminalSize(fallback: TerminalSize = {columns: 100, rows: 30}): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({
		columns: stdout.columns || fallback.columns,
		rows: stdout.rows || fallback.rows,
	});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize({columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows});
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fallback.columns, fallback.rows]);
	return size;
}
