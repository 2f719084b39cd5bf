import type {DaemonReport} from '../daemon/info-diff.js';
import type {SandboxMode} from '../daemon/labels.js';
import type {LogLine} from '../daemon/logs.js';
import type {LifecycleOperation} from '../daemon/lifecycle.js';
import type {SpawnResult} from '../daemon/sandbox-containers.js';
import type {SwarmLab} from '../daemon/swarm-lab.js';
import type {ContainerNode} from '../store/model.js';

/**
 * Everything the TUI asks of the daemon layer. The UI never builds a Docker request itself;
 * tests of the UI give it a controller over captured data, the CLI gives it the real one.
 */
export interface TreeController {
	refresh(daemonPath: string): Promise<void>;
	/** Errors from the daemon layer that no node shows; the last one goes to the status bar. */
	onError?(listener: (message: string) => void): () => void;
	lifecycle(container: ContainerNode, operation: LifecycleOperation): Promise<void>;
	/** Modes this daemon can host (sysbox only with its runtime). */
	spawnModes(daemonPath: string): Promise<SandboxMode[]>;
	spawn(daemonPath: string, spec: {mode: SandboxMode; name: string; image?: string}): Promise<SpawnResult>;
	recreate(container: ContainerNode, mode: SandboxMode): Promise<SpawnResult>;
	/** Serve a daemon on a unix socket of its own (`f`); resolves to the socket. Again: stop it. */
	toggleForward?(daemonPath: string): Promise<{socket: string; started: boolean}>;
	/** A swarm lab of `nodes` DinD sandboxes on a daemon (`W`). */
	swarmLab(daemonPath: string, nodes: number, progress: (step: string) => void): Promise<SwarmLab>;
	/** Last lines a container printed, for a failed spawn. */
	lastLogLines(container: {daemonPath: string; id: string}, count: number): Promise<string[]>;
	images(daemonPath: string): Promise<Array<{name: string; size: number}>>;
	createContainer(daemonPath: string, spec: {image: string; command: string}): Promise<{id: string; name: string}>;
	copyImage(from: string, to: string, image: string, onBytes: (bytes: number) => void): Promise<number>;
	followLogs(container: ContainerNode, onLines: (lines: LogLine[]) => void): Promise<() => void>;
	/** docker info and docker version of a daemon, for the diff view. */
	report(daemonPath: string): Promise<DaemonReport>;
	/** Why a private sandbox daemon cannot run here; undefined when it can (`S`). */
	sandboxProblem?: string;
	/** Start a private daemon and add it as a root (the no-daemon screen's `S`). */
	startSandbox?(): Promise<string>;
	/** A shell (`e`) or the main process (`a`) on the terminal; resolves when it ends. */
	terminalSession(container: ContainerNode, kind: 'shell' | 'attach'): Promise<string>;
}
