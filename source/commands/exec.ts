import {closeAll, resolveContainer, type PathOptions} from '../daemon/container-path.js';
import {startExec} from '../daemon/exec-session.js';
import {UserError} from '../errors.js';
import {visible} from '../output/visible.js';

export interface ExecCommand extends PathOptions {
	path: string;
	cmd: string[];
	tty: boolean;
	interactive: boolean;
	detachKeys: string;
}

/**
 * `dockerception exec PATH -- CMD...`: one command in a container at any depth, with its
 * output, input (-i) and exit code passed through, instead of `docker exec a docker exec b ...`.
 */
export async function runExec(command: ExecCommand): Promise<number> {
	if (command.cmd.length === 0) throw new UserError('exec needs a command after --, e.g. dockerception exec default/box -- hostname', 2);
	const target = await resolveContainer(command.path, command);
	const stdin = process.stdin;
	const rawMode = command.tty && command.interactive && stdin.isTTY;
	try {
		if (!target.container.State.Running) throw new UserError(`${target.containerPath} is ${target.container.State.Status}: start it first`);
		const session = await startExec(target.connection.client, target.container.Id, {
			cmd: command.cmd,
			tty: command.tty,
			stdin: command.interactive,
			...(command.tty ? {detachKeys: command.detachKeys} : {}),
			...(command.tty && process.stdout.isTTY ? {columns: process.stdout.columns, rows: process.stdout.rows} : {}),
			onStdout: (chunk) => process.stdout.write(chunk),
			onStderr: (chunk) => process.stderr.write(chunk),
		});
		const onResize = () => void session.resize(process.stdout.columns, process.stdout.rows);
		if (command.tty && process.stdout.isTTY) process.stdout.on('resize', onResize);
		if (command.interactive) {
			if (rawMode) stdin.setRawMode(true);
			stdin.on('data', (chunk: Buffer) => session.send(chunk));
			// EOF reaches the process as a half-close of the exec stream.
			stdin.once('end', () => session.input.end());
			stdin.resume();
		}
		const {exitCode, detached, detachTyped} = await session.done;
		process.stdout.off('resize', onResize);
		if (detached) process.stderr.write(`dockerception: detached from ${visible(target.containerPath)} (it keeps running)\n`);
		// Docker 20.10 ends an exec when its client detaches ("read escape sequence").
		else if (detachTyped) process.stderr.write(`dockerception: detached; this engine ended the command on detach\n`);
		return exitCode ?? 0;
	} finally {
		if (rawMode) stdin.setRawMode(false);
		stdin.pause();
		closeAll(target.opened);
	}
}
