import {Table} from '@alcalzone/ink-table';
import {Text} from './Text.js';
import {visible} from '../output/visible.js';
import {useKeys} from './key-router.js';
import {useMemo, useState} from 'react';
import {diffInfo, type DaemonReport, type DiffRow} from '../daemon/info-diff.js';
import {Dialog} from './Dialog.js';
import {truncate} from './format.js';

interface DiffViewProps {
	nameA: string;
	nameB: string;
	a: DaemonReport;
	b: DaemonReport;
	width: number;
	height: number;
	onClose: () => void;
}

/**
 * `D`: docker info of two daemons side by side, differences first with why they differ,
 * then how many fields are equal. `a` shows all fields, `v` adds docker version.
 */
export function DiffView({nameA, nameB, a, b, width, height, onClose}: DiffViewProps) {
	const [all, setAll] = useState(false);
	const [components, setComponents] = useState(false);
	const [scroll, setScroll] = useState(0);
	const diff = useMemo(() => diffInfo(a, b, {components}), [a, b, components]);
	const rows: DiffRow[] = all ? [...diff.different, ...diff.volatileDifferent, ...diff.equal] : diff.different;
	const notes = rows.filter((row) => row.note);
	const inner = width - 4;
	// The table: field, A, B. Each column gets a share; text is cut to fit (ink-table counts characters).
	const fieldWidth = Math.min(26, Math.max(5, ...rows.map((row) => row.field.length)));
	// The two value columns share what is left; a column that needs less gives the rest away.
	const valuesWidth = Math.max(16, inner - fieldWidth - 10);
	const need = (name: string, pick: (row: DiffRow) => string) => Math.max(name.length, ...rows.map((row) => pick(row).length));
	const needB = need(nameB, (row) => row.b);
	const widthA = Math.max(
		8,
		Math.min(
			need(nameA, (row) => row.a),
			valuesWidth - Math.min(needB, Math.ceil(valuesWidth / 2)),
		),
	);
	const widthB = Math.max(8, valuesWidth - widthA);
	// The explanations are the point of the diff: they wrap, and the table gives up rows for them.
	const shownNotes = notes.slice(0, 6);
	const noteLines = shownNotes.reduce((sum, row) => sum + Math.ceil((row.field.length + 2 + (row.note?.length ?? 0)) / Math.max(1, inner)), 0);
	const reserved = 5 + noteLines + (diff.sameKernel || diff.sameDaemon ? 1 : 0);
	const visibleRows = Math.max(1, Math.floor((height - 2 - reserved - 3) / 2));
	const maxScroll = Math.max(0, rows.length - visibleRows);
	useKeys((input, key) => {
		if (key.escape || input === 'q') onClose();
		else if (input === 'a') {
			setAll((value) => !value);
			setScroll(0);
		} else if (input === 'v') setComponents((value) => !value);
		else if (key.downArrow || input === 'j') setScroll((value) => Math.min(maxScroll, value + 1));
		else if (key.upArrow || input === 'k') setScroll((value) => Math.max(0, value - 1));
		else if (key.pageDown) setScroll((value) => Math.min(maxScroll, value + visibleRows));
		else if (key.pageUp) setScroll((value) => Math.max(0, value - visibleRows));
	});
	const start = Math.min(scroll, maxScroll);
	// ink-table draws cells with Ink's own Text: values from the daemons are made visible here.
	const data = rows.slice(start, start + visibleRows).map((row) => ({
		field: truncate(visible(row.field), fieldWidth),
		[truncate(visible(nameA), widthA)]: fitDifference(visible(row.a), visible(row.b), widthA),
		[truncate(nameB, widthB) === truncate(nameA, widthA) ? `${truncate(visible(nameB), widthB - 1)}'` : truncate(visible(nameB), widthB)]: fitDifference(
			visible(row.b),
			visible(row.a),
			widthB,
		),
	}));
	const hidden = diff.equal.length + diff.volatileDifferent.length;
	return (
		<Dialog
			title={`docker info: ${nameA} vs ${nameB}${components ? ' + docker version' : ''}`}
			width={width}
			height={height}
			hint={`a ${all ? 'differences only' : 'all fields'} · v ${components ? 'hide' : 'add'} docker version · ↑↓ scroll · esc back`}
		>
			{rows.length === 0 ? <Text color="green">no differences{diff.sameDaemon ? ': both are the same daemon' : ''}</Text> : <Table data={data} />}
			{rows.length > visibleRows ? (
				<Text dimColor>
					rows {start + 1}-{Math.min(rows.length, start + visibleRows)} of {rows.length}
				</Text>
			) : null}
			{shownNotes.map((row) => (
				<Text key={row.field} color="cyan" wrap="wrap">
					{row.field}: {row.note}
				</Text>
			))}
			{diff.sameDaemon ? (
				<Text color="yellow">both paths reach the same daemon (same ID)</Text>
			) : diff.sameKernel ? (
				<Text color="yellow" wrap="truncate-end">
					same kernel {diff.kernel.a}: one runs on the other's host (a DinD shares its host's kernel)
				</Text>
			) : null}
			{!all && hidden > 0 ? (
				<Text dimColor>
					{diff.equal.length} fields equal{diff.volatileDifferent.length ? `, ${diff.volatileDifferent.length} volatile` : ''} (a shows them)
				</Text>
			) : null}
		</Dialog>
	);
}

/**
 * Cut a value to its column so that what differs stays in sight: a value that starts like the
 * other one ("… (bookworm)" vs "… (bookworm) (containerized)") loses its beginning, not its end.
 */
function fitDifference(value: string, other: string, width: number): string {
	if (value.length <= width) return value;
	let common = 0;
	while (common < value.length && value[common] === other[common]) common++;
	if (common === 0 || width < 2) return truncate(value, width);
	return `…${value.slice(value.length - (width - 1))}`;
}
