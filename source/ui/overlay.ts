import type {DaemonReport} from '../daemon/info-diff.js';
import type {SandboxMode} from '../daemon/labels.js';
import type {LogLine} from '../daemon/logs.js';
import type {ConfirmRequest} from './ConfirmDialog.js';
import type {PickItem} from './PickDialog.js';
import type {SpawnForm, SpawnStatus} from './SpawnDialog.js';

/**
 * What covers the panels: help, a dialog or a full-screen view. One at a time. A dialog that
 * is replaced before it was answered (another command's result arrived) is `abandoned`: the
 * command waiting on it ends as if it had been cancelled.
 */
export type Overlay =
	| {type: 'help'}
	| {type: 'confirm'; request: ConfirmRequest; abandoned?: () => void}
	| {
			type: 'spawn';
			daemonPath: string;
			initial: SpawnForm;
			modes: SandboxMode[];
			status: SpawnStatus;
			onSubmit: (form: SpawnForm) => void;
			onCancel: () => void;
			abandoned?: () => void;
	  }
	| {
			type: 'pick';
			title: string;
			items: PickItem[];
			withCommand: boolean;
			onPick: (item: PickItem, command: string) => void;
			onCancel: () => void;
			abandoned?: () => void;
	  }
	| {type: 'logs'; title: string; follow: (onLines: (lines: LogLine[]) => void) => Promise<() => void>}
	| {type: 'progress'; title: string; bytes: number; total: number | undefined}
	| {type: 'diff'; nameA: string; nameB: string; a: DaemonReport; b: DaemonReport};
