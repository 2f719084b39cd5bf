import {Box} from 'ink';
import {Text} from './Text.js';
import {useKeys} from './key-router.js';
import Spinner from 'ink-spinner';
import {useEffect, useRef, useState} from 'react';
import type {SandboxMode} from '../daemon/labels.js';
import {nameProblem} from '../daemon/sandbox-containers.js';
import {Dialog, editText, Field} from './Dialog.js';

export const modeNames: Record<SandboxMode, string> = {dind: 'DinD', socket: 'socket', sysbox: 'sysbox'};

export type SpawnStatus = {phase: 'form'} | {phase: 'working'; since: number; step: string} | {phase: 'failed'; message: string; logs: string[]};

export interface SpawnForm {
	name: string;
	image: string;
	mode: SandboxMode;
}

interface SpawnDialogProps {
	daemonPath: string;
	initial: SpawnForm;
	modes: SandboxMode[];
	status: SpawnStatus;
	width: number;
	height: number;
	onSubmit: (form: SpawnForm) => void;
	onCancel: () => void;
}

const fields = ['name', 'image', 'mode'] as const;

const modeHelp: Record<SandboxMode, string> = {
	dind: 'its own dockerd; its containers are its children',
	socket: "this daemon's socket mounted: its containers are siblings here",
	sysbox: 'DinD without --privileged, through the sysbox-runc runtime',
};

/** `n`: name, image and mode, then a spinner and the time taken until the daemon answers. */
export function SpawnDialog({daemonPath, initial, modes, status, width, height, onSubmit, onCancel}: SpawnDialogProps) {
	const [form, setFormState] = useState(initial);
	const [field, setFieldState] = useState(0);
	const [now, setNow] = useState(Date.now());
	const problem = nameProblem(form.name);
	// Keys can arrive faster than renders: each handler must see the previous key's result.
	const latest = useRef({form, field});
	const setForm = (next: SpawnForm) => {
		latest.current.form = next;
		setFormState(next);
	};
	const setField = (update: (current: number) => number) => {
		latest.current.field = update(latest.current.field);
		setFieldState(latest.current.field);
	};

	useEffect(() => {
		if (status.phase !== 'working') return;
		const timer = setInterval(() => setNow(Date.now()), 500);
		return () => clearInterval(timer);
	}, [status.phase]);

	useKeys((input, key) => {
		const {form, field} = latest.current;
		if (key.escape) {
			onCancel();
			return;
		}
		if (status.phase === 'working') return;
		if (key.return) {
			if (!nameProblem(form.name)) onSubmit(form);
			return;
		}
		if (key.tab || key.downArrow) {
			setField((current) => (current + (key.shift ? fields.length - 1 : 1)) % fields.length);
			return;
		}
		if (key.upArrow) {
			setField((current) => (current + fields.length - 1) % fields.length);
			return;
		}
		const name = fields[field]!;
		if (name === 'mode') {
			if (key.leftArrow || key.rightArrow || input === ' ' || input === 'm') {
				const index = modes.indexOf(form.mode);
				const next = modes[(index + (key.leftArrow ? modes.length - 1 : 1)) % modes.length]!;
				setForm({...form, mode: next});
			}
			return;
		}
		const edited = editText(form[name], input, key);
		if (edited !== undefined) {
			const next = {...form, [name]: edited};
			setForm(next);
			// Enter that arrived in the same chunk as the text.
			if (/[\r\n]/.test(input) && !nameProblem(next.name)) onSubmit(next);
		}
	});

	const hint = status.phase === 'working' ? 'esc hides this (the sandbox keeps starting)' : 'tab next field · ←/→ mode · enter create · esc cancel';
	return (
		<Dialog title={`New sandbox on ${daemonPath}`} width={width} height={height} hint={hint} tone={status.phase === 'failed' ? 'red' : 'cyan'}>
			<Field label="name" value={form.name} focused={field === 0 && status.phase !== 'working'} problem={problem} />
			<Field
				label="image"
				value={form.image}
				focused={field === 1 && status.phase !== 'working'}
				placeholder="docker:dind if available, else a local DinD image"
			/>
			<Text wrap="truncate-end">
				<Text color={field === 2 ? 'cyan' : undefined} bold={field === 2}>
					{'mode'.padEnd(8)}
				</Text>
				{modes.map((mode) => (
					<Text key={mode} inverse={mode === form.mode}>
						{` ${modeNames[mode]} `}
					</Text>
				))}
				<Text dimColor> {modeHelp[form.mode]}</Text>
			</Text>
			<Text> </Text>
			{status.phase === 'working' ? (
				<Text color="yellow">
					<Spinner type="dots" /> {status.step} · {Math.max(0, Math.floor((now - status.since) / 1000))} s
				</Text>
			) : null}
			{status.phase === 'failed' ? (
				<Box flexDirection="column">
					<Text color="red" wrap="wrap">
						✕ {status.message}
					</Text>
					{status.logs.length > 0 ? <Text dimColor>last log lines:</Text> : null}
					{status.logs.map((line, index) => (
						<Text key={index} dimColor wrap="truncate-end">
							{'  '}
							{line}
						</Text>
					))}
				</Box>
			) : null}
		</Dialog>
	);
}
