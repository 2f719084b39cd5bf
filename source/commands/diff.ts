import {visibleDeep} from '../output/visible.js';
import {closeAll, resolveDaemon, type PathOptions} from '../daemon/container-path.js';
import {diffInfo, diffJson, fetchReport, type DiffRow, type InfoDiff} from '../daemon/info-diff.js';
import {unreachableReason} from '../daemon/reasons.js';
import {UserError} from '../errors.js';
import type {Paint} from '../output/colors.js';

export interface DiffCommand extends PathOptions {
	a: string;
	b: string;
	json: boolean;
	all: boolean;
	components: boolean;
	paint: Paint;
}

/** `dockerception diff A B`: exit 0 when equal, 1 when different (like diff), 2 on error. */
export async function runDiff(command: DiffCommand): Promise<number> {
	let diff: InfoDiff;
	try {
		const [a, b] = await Promise.all([resolveDaemon(command.a, command), resolveDaemon(command.b, command)]);
		try {
			const [reportA, reportB] = await Promise.all([fetchReport(a.connection.client), fetchReport(b.connection.client)]);
			diff = diffInfo(reportA, reportB, {components: command.components});
		} catch (error) {
			throw new UserError(`reading docker info: ${unreachableReason(error)}`, 2);
		} finally {
			closeAll(a.opened);
			closeAll(b.opened);
		}
	} catch (error) {
		// Errors are 2 here: 1 means "different".
		if (error instanceof UserError) throw new UserError(error.message, 2);
		throw error;
	}
	if (command.json) {
		process.stdout.write(`${JSON.stringify(diffJson(diff, command.all), null, 2)}\n`);
	} else {
		process.stdout.write(renderDiff(visibleDeep(diff), command.a, command.b, command.all, command.paint));
	}
	return diff.different.length === 0 ? 0 : 1;
}

export function renderDiff(diff: InfoDiff, nameA: string, nameB: string, all: boolean, paint: Paint): string {
	const rows: DiffRow[] = [...diff.different, ...(all ? [...diff.volatileDifferent, ...diff.equal] : [])];
	const fieldWidth = Math.max(5, ...rows.map((row) => row.field.length));
	const aWidth = Math.min(48, Math.max(nameA.length, ...rows.map((row) => row.a.length)));
	const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
	const lines = [paint('bold', `${cut('FIELD', fieldWidth)}  ${cut(nameA, aWidth)}  ${nameB}`)];
	for (const row of rows) {
		const same = row.a === row.b;
		const line = `${cut(row.field, fieldWidth)}  ${cut(row.a, aWidth)}  ${row.b}`;
		lines.push(same ? paint('dim', line) : row.volatile ? paint('gray', line) : line);
		if (row.note) lines.push(paint('cyan', `${' '.repeat(fieldWidth)}  ↳ ${row.note}`));
	}
	if (diff.different.length === 0) lines.push(paint('green', 'no differences'));
	if (diff.sameDaemon) lines.push(paint('yellow', 'both paths reach the same daemon (same ID)'));
	else if (diff.sameKernel) lines.push(paint('yellow', `same kernel ${diff.kernel.a}: one daemon runs on the other's host (a DinD shares its host's kernel)`));
	const hidden = diff.equal.length + diff.volatileDifferent.length;
	if (!all && hidden > 0) {
		lines.push(
			paint(
				'dim',
				`${diff.equal.length} fields equal${diff.volatileDifferent.length ? `, ${diff.volatileDifferent.length} volatile (times, counters, IDs)` : ''} (--all shows them)`,
			),
		);
	}
	return `${lines.join('\n')}\n`;
}
