#!/usr/bin/env bash
# The user's own Docker, as CI plays it: a dockerd on /var/run/docker.sock with the default
# docker0 bridge, one DinD container holding one container, and one plain container.
# The tests run beside it and must leave it exactly as it was.
#
#   neighbour.sh up          start it when no daemon answers there (else leave the one there alone)
#   neighbour.sh snapshot F  write what the tests must not change to F
#   neighbour.sh check F     compare with F: one line naming what changed, exit 1
#   neighbour.sh down        stop it, only if `up` started it
set -uo pipefail

state=${DOCKERCEPTION_NEIGHBOUR_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/dockerception/neighbour}
sock=/var/run/docker.sock
export DOCKER_HOST=unix://$sock
busybox_image=neighbour/busybox:1
dind_image=neighbour/dind:1
dind_flags=(--cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined
	--security-opt apparmor=unconfined --security-opt systempaths=unconfined
	--device-cgroup-rule 'a *:* rwm' -v /sys/fs/cgroup:/sys/fs/cgroup:rw)

say() { echo "[neighbour] $*" >&2; }
answers() { timeout 5 docker -H "unix://$sock" version >/dev/null 2>&1; }

wait_for() { # what, seconds, command...
	local what=$1 seconds=$2
	shift 2
	for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
	say "$what: not ready after ${seconds} s"
	return 1
}

install_packages() {
	local missing=()
	command -v dockerd >/dev/null || missing+=(docker.io)
	command -v debootstrap >/dev/null || missing+=(debootstrap)
	command -v busybox >/dev/null || missing+=(busybox-static)
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

mirror() { # the bookworm mirror apt uses (never a host name written here)
	local uri
	uri=$(awk '/^URIs:/{u=$2} /^Suites:.*bookworm( |$)/{print u; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || uri=$(awk '$1=="deb" && $3=="bookworm"{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	echo "$uri"
}

build_images() {
	if ! docker image inspect "$busybox_image" >/dev/null 2>&1; then
		local bb
		bb=$(mktemp -d)
		mkdir -p "$bb/bin" && cp "$(command -v busybox)" "$bb/bin/"
		for applet in sh ls cat echo sleep ps hostname; do ln -s busybox "$bb/bin/$applet"; done
		tar -C "$bb" -c . | docker import -c 'CMD ["/bin/sh"]' - "$busybox_image" >/dev/null || return 1
		rm -rf "$bb"
	fi
	if ! docker image inspect "$dind_image" >/dev/null 2>&1; then
		local root="$state/dind-root"
		rm -rf "$root"
		say "building $dind_image with debootstrap"
		debootstrap --variant=minbase --include=docker.io,iptables,procps bookworm "$root" "$(mirror)" >"$state/debootstrap.log" 2>&1 || {
			say "debootstrap failed: $(tail -n 1 "$state/debootstrap.log")"
			return 1
		}
		rm -rf "$root"/var/cache/apt/archives "$root"/var/lib/apt/lists "$root"/usr/share/{doc,man,locale}
		tar -C "$root" -c . | docker import -c 'CMD ["dockerd","--host=unix:///var/run/docker.sock"]' -c 'VOLUME /var/lib/docker' - "$dind_image" >/dev/null || return 1
		rm -rf "$root"
	fi
}

ensure_containers() {
	if [ -z "$(docker ps -q --filter name=^neighbour-plain$)" ]; then
		docker rm -f neighbour-plain >/dev/null 2>&1
		docker run -d --name neighbour-plain "$busybox_image" sleep 1000000 >/dev/null || return 1
	fi
	if [ -z "$(docker ps -q --filter name=^neighbour-dind$)" ]; then
		docker rm -f -v neighbour-dind >/dev/null 2>&1
		# A stale pidfile from an earlier run would stop the inner dockerd: start from a clean /run.
		docker run -d --name neighbour-dind "${dind_flags[@]}" "$dind_image" \
			sh -c 'rm -f /run/docker.pid /run/docker/containerd/containerd.pid; exec dockerd --host=unix:///var/run/docker.sock' >/dev/null || return 1
	fi
	wait_for "the daemon inside neighbour-dind" 120 docker exec neighbour-dind docker version || return 1
	if [ -z "$(docker exec neighbour-dind docker ps -q --filter name=^neighbour-inner$)" ]; then
		docker save "$busybox_image" | docker exec -i neighbour-dind docker load >/dev/null || return 1
		docker exec neighbour-dind docker rm -f neighbour-inner >/dev/null 2>&1
		docker exec neighbour-dind docker run -d --name neighbour-inner "$busybox_image" sleep 1000000 >/dev/null || return 1
	fi
}

up() {
	mkdir -p "$state"
	rm -f "$state/started"
	if answers; then
		say "a daemon already answers on $sock: it is left as it is"
		return 0
	fi
	install_packages || return 1
	[ -S "$sock" ] && rm -f "$sock"
	dockerd --host "unix://$sock" >"$state/dockerd.log" 2>&1 &
	echo $! >"$state/started"
	wait_for "dockerd on $sock" 60 answers || { tail -n 5 "$state/dockerd.log" >&2; return 1; }
	build_images && ensure_containers || return 1
	say "running on $sock: $(docker ps --format '{{.Names}}' | sort | tr '\n' ' ')"
}

snapshot() {
	{
		echo "## containers"
		docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.State}}' | sort
		for dind in $(docker ps -q --filter volume=/var/lib/docker); do
			echo "## containers inside $(docker inspect -f '{{.Name}}' "$dind")"
			docker exec "$dind" docker ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.State}}' 2>/dev/null | sort
		done
		echo "## networks"
		docker network ls --no-trunc --format '{{.ID}} {{.Name}} {{.Driver}}' | sort
		echo "## images"
		docker images --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}' | sort
		echo "## links"
		ip -br link | awk '{print $1}' | sed 's/@.*//' | grep -v '^veth' | sort
		if command -v iptables-save >/dev/null; then
			echo "## iptables"
			iptables-save 2>/dev/null | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'
		fi
	}
}

check() {
	local before=$1 after diff
	after=$(mktemp)
	snapshot >"$after"
	if diff -q "$before" "$after" >/dev/null; then
		say "unchanged: $(grep -c . "$before") lines of containers, networks, images, links and rules"
		rm -f "$after"
		return 0
	fi
	# One line: the section and the first lines that differ.
	diff=$(diff "$before" "$after" | grep '^[<>]' | head -n 4 | tr '\n' ';')
	echo "neighbour changed by the tests: $diff (full: diff $before $after)"
	return 1
}

down() {
	[ -f "$state/started" ] || return 0
	local pid
	pid=$(cat "$state/started")
	rm -f "$state/started"
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
	kill -9 "$pid" 2>/dev/null
}

case "${1:-}" in
up) up ;;
snapshot) snapshot >"$2" ;;
check) check "$2" ;;
down) down ;;
*)
	echo "usage: neighbour.sh up|snapshot FILE|check FILE|down" >&2
	exit 2
	;;
esac
