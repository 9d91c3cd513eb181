#!/usr/bin/env bash
# `make fleet-test`: the Ansible collection end to end, on this machine, over real SSH.
#
# 1. ansible-core from PyPI, pinned (ANSIBLE_CORE_VERSION), in a venv under .build/ — not Debian 12's 2.14
#    (out of upstream support since 2024); 2.19 is the newest that runs on Debian 12's Python 3.11. The
#    collection's meta/runtime.yml still allows 2.14, so Debian's ansible-core works too.
# 2. pytest: the modules' unit tests with a fake binary, and collect → check --bundle on every fixture host.
# 3. ansible-test sanity (validate-modules, compile, import) offline: its pip bootstrap script is replaced
#    by Tests/Fleet/get_pip_stub.py (ensurepip, then PyPI), in a HOME of its own.
# 4. An OpenSSH server (Debian's openssh-server) on 127.0.0.1 on a free port with throwaway host and user
#    keys, stopped on exit whatever happens; playbooks/fleet_check.yml against 4 inventory hosts, aliases
#    of 127.0.0.1 each with its own fixture host root: one ready, one not ready, one collect-only, one on a
#    closed port (unreachable). The aggregate's matrix must equal `check --root` per host, the unreachable
#    host must be listed as unreachable, and the play's exit code must follow the policy (2 with
#    fail_on=not_ready, 0 with fail_on=never).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
start=$(date +%s)
ANSIBLE_CORE_VERSION=${ANSIBLE_CORE_VERSION:-2.19.14}
PYTEST_VERSION=${PYTEST_VERSION:-8.3.5}
venv=${FLEET_VENV:-$repo/.build/fleet-venv}
binary=${SRIOV_PREFLIGHT_BINARY:-$repo/.build/debug/sriov-preflight}
coll=$repo/ansible/ansible_collections/sriov/preflight
step() { echo "== $1 ($(( $(date +%s) - start )) s)"; }

[ -x "$binary" ] || { echo "fleet-test: $binary missing: run swift build (or set SRIOV_PREFLIGHT_BINARY)"; exit 1; }
for tool in /usr/sbin/sshd ssh ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "fleet-test: $tool missing: run make fleet-deps"; exit 1; }
done

step "ansible-core $ANSIBLE_CORE_VERSION (PyPI, venv $venv)"
if ! "$venv/bin/ansible" --version 2>/dev/null | grep "core $ANSIBLE_CORE_VERSION\]" >/dev/null \
   || ! "$venv/bin/python" -c "import pytest" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "ansible-core==$ANSIBLE_CORE_VERSION" "pytest==$PYTEST_VERSION"
fi
"$venv/bin/ansible" --version | sed -n 1p

work=$(mktemp -d /tmp/spf-fleet.XXXXXX)
sshd_pid=""
keep=$repo/.build/fleet-test   # the last run's play logs and results, kept for a look afterwards
cleanup() {
  if [ -n "$sshd_pid" ]; then kill "$sshd_pid" 2>/dev/null || true; wait "$sshd_pid" 2>/dev/null || true; fi
  rm -rf "$keep"; mkdir -p "$keep"
  cp -r "$work"/results* "$work"/sshd.log "$work"/inventory.ini "$keep"/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "pytest (modules with a fake binary; collect → check --bundle on the fixture hosts)"
if [ "${FLEET_PYTEST:-1}" = 1 ]; then
  (cd "$coll" && PYTHONPATH=tests/unit SRIOV_PREFLIGHT_BINARY="$binary" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/unit)
else
  echo "FLEET_PYTEST=0: skipped"
fi

step "ansible-test sanity (validate-modules, compile, import), offline bootstrap"
if [ "${FLEET_SANITY:-1}" = 1 ]; then
  if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    home=${FLEET_ANSIBLE_TEST_HOME:-$repo/.build/fleet-ansible-test-home}
    mkdir -p "$home/.ansible/test/cache"
    # ansible-test names its bootstrap script after the pip version it pins (get_pip_24_2.py for 2.19).
    for v in 24_2 24_0 23_1; do cp Tests/Fleet/get_pip_stub.py "$home/.ansible/test/cache/get_pip_$v.py"; done
    (cd "$coll" && HOME="$home" "$venv/bin/ansible-test" sanity --test validate-modules --test compile --test import \
       --python "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" 2>&1 | { grep -v "^WARNING: .*locale" || true; })
    rm -rf "$coll/tests/output"
  else
    echo "not a git work tree: ansible-test sanity needs one, skipped"
  fi
else
  echo "FLEET_SANITY=0: skipped"
fi

step "sshd on 127.0.0.1 (throwaway keys)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
closed=$(free_port)
while [ "$closed" = "$port" ]; do closed=$(free_port); done
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_key"
cp "$work/user_key.pub" "$work/authorized_keys"
chmod 600 "$work/authorized_keys"
user=$(id -un)
cat > "$work/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $port
HostKey $work/host_key
AuthorizedKeysFile $work/authorized_keys
PidFile $work/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowUsers $user
Subsystem sftp internal-sftp
CFG
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
/usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  kill -0 "$sshd_pid" 2>/dev/null || { cat "$work/sshd.log"; echo "fleet-test: sshd did not start"; exit 1; }
  sleep 0.1
done
ssh -q -i "$work/user_key" -p "$port" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
  "$user@127.0.0.1" true || { cat "$work/sshd.log"; echo "fleet-test: cannot log in over ssh"; exit 1; }
echo "sshd pid $sshd_pid on port $port; unreachable host on closed port $closed"

fixtures=$repo/Tests/Fixtures/hosts
cat > "$work/inventory.ini" <<INV
[fleet]
ready-host     sriov_preflight_root=$fixtures/intel-igb-ready
notready-host  sriov_preflight_root=$fixtures/no-iommu
collect-host   sriov_preflight_root=$fixtures/pf-driver-missing sriov_preflight_mode=collect
gone-host      sriov_preflight_root=$fixtures/amd-nvme ansible_port=$closed

[fleet:vars]
ansible_host=127.0.0.1
ansible_port=$port
ansible_user=$user
ansible_ssh_private_key_file=$work/user_key
ansible_ssh_common_args=-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5
ansible_python_interpreter=/usr/bin/python3
sriov_preflight_install_path=$work/hosts/{{ inventory_hostname }}/bin/sriov-preflight
INV

export ANSIBLE_COLLECTIONS_PATH=$repo/ansible
export ANSIBLE_LOCAL_TEMP=$work/ansible-local ANSIBLE_REMOTE_TEMP=$work/ansible-remote
export ANSIBLE_PIPELINING=1 ANSIBLE_FORKS=5 ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_RETRY_FILES_ENABLED=0
sha=$(sha256sum "$binary" | cut -d' ' -f1)
play() {  # play RESULTS_DIR [extra args…]: runs the fleet playbook, prints its exit code last
  local results=$1; shift
  local rc=0
  (cd "$work" && "$venv/bin/ansible-playbook" -i inventory.ini sriov.preflight.fleet_check \
     -e "sriov_preflight_group=fleet" -e "sriov_preflight_binary_src=$binary" -e "sriov_preflight_binary_sha256=$sha" \
     -e "sriov_preflight_results_dir=$results" "$@") > "$results.log" 2>&1 || rc=$?
  echo "$rc"
}

step "ansible-playbook sriov.preflight.fleet_check over ssh (fail_on: not_ready)"
rc=$(play "$work/results")
# (head may close the pipe before sed is done: under pipefail sed's SIGPIPE would end the test here)
{ sed -n '/TASK \[sriov.preflight.aggregate : The fleet\]/,/PLAY RECAP/p' "$work/results.log" || true; } | head -60
sed -n '/PLAY RECAP/,$p' "$work/results.log"
if [ "$rc" != 2 ]; then cat "$work/results.log"; echo "fleet-test: the play exited $rc, expected 2 (hosts not ready, policy not_ready)"; exit 1; fi

step "the aggregate against check --root per host"
for h in ready-host:intel-igb-ready notready-host:no-iommu collect-host:pf-driver-missing; do
  "$binary" check --root "$fixtures/${h#*:}" --format json > "$work/expected-${h%%:*}.json" || true
done
"$venv/bin/python" - "$work" <<'PY'
import json, sys
work = sys.argv[1]
fleet = json.load(open(work + '/results/fleet.json'))
hosts = {h['name']: h for h in fleet['hosts']}
problems = []
def expect(cond, msg):
    if not cond: problems.append(msg)
expect(sorted(hosts) == ['collect-host', 'gone-host', 'notready-host', 'ready-host'], 'hosts: %s' % sorted(hosts))
expect(hosts['gone-host']['state'] == 'unreachable' and not hosts['gone-host']['reachable'], 'gone-host: %s' % hosts['gone-host']['state'])
expect(hosts['ready-host']['state'] == 'ready', 'ready-host: %s' % hosts['ready-host']['state'])
expect(hosts['collect-host']['evidence_source'] == 'bundle', 'collect-host was not judged from its archive')
rank = {'pass': 0, 'skip': 1, 'warn': 2, 'error': 3, 'fail': 4}
for name in ('ready-host', 'notready-host', 'collect-host'):
    local = json.load(open('%s/expected-%s.json' % (work, name)))
    cells = {}
    for r in local['results']:
        if r['ignored']: continue
        if r['id'] not in cells or rank[r['status']] > rank[cells[r['id']]]: cells[r['id']] = r['status']
    got = {c: row[name] for c, row in fleet['matrix'].items()}
    expect(got == cells, '%s: matrix %s != check --root %s' % (name, got, cells))
    expect(hosts[name]['exit_code'] == local['summary']['exit_code'], '%s: exit code' % name)
    expect([(r['id'], r['object'], r['status']) for r in hosts[name]['results']]
           == [(r['id'], r['object'], r['status']) for r in local['results']], '%s: results differ' % name)
for c, row in fleet['matrix'].items():
    expect(row['gone-host'] == 'unknown', 'gone-host cell %s' % c)
expect(fleet['summary']['exit_code'] == 2 and fleet['summary']['unreachable'] == 1, 'summary %s' % fleet['summary'])
text = open(work + '/results/fleet.txt').read()
expect('gone-host' in text and 'unreachable' in text, 'fleet.txt does not list the unreachable host')
for p in problems: print('MISMATCH:', p)
print('matrix of %d checks × %d hosts equals check --root per host; gone-host unreachable' % (len(fleet['matrix']), len(hosts)))
sys.exit(1 if problems else 0)
PY
python3 Tests/tools/validate_json.py reports/fleet.schema.json "$work/results/fleet.json" && echo "fleet.json valid under reports/fleet.schema.json"
shared=${SRIOV_SHARED:-$repo/../shared}
if [ -d "$shared/schemas/junit" ] && command -v xmllint >/dev/null; then
  for xsd in "$shared"/schemas/junit/*.xsd; do xmllint --noout --schema "$xsd" "$work/results/fleet.xml"; done
else
  echo "../shared/schemas/junit or xmllint missing: fleet.xml not validated against the XSDs"
fi

step "the same fleet with fail_on: never (the play's exit code follows the policy)"
rc=$(play "$work/results-never" -e sriov_preflight_fail_on=never -e sriov_preflight_fleet_fail_on=never)
sed -n '/PLAY RECAP/,$p' "$work/results-never.log"
if [ "$rc" != 0 ]; then cat "$work/results-never.log"; echo "fleet-test: the play exited $rc with fail_on never, expected 0"; exit 1; fi
cmp <("$venv/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['matrix'])" "$work/results/fleet.json") \
    <("$venv/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['matrix'])" "$work/results-never/fleet.json")

step "a waiver file (sriov_preflight_waivers): copied to a run-mode host for its run, used in place for the collected archive"
cat > "$work/waivers.toml" <<'TOML'
[[waiver]]
check = "firmware.iommu-table"
justification = "fleet-test: the BIOS update is scheduled"
expires = 2099-12-31
[[waiver]]
check = "sriov.pf-driver"
justification = "fleet-test: the PF driver comes with the next image"
expires = 2099-12-31
TOML
copies() { find /tmp -maxdepth 1 -name '*.sriov-preflight-waivers.toml' | wc -l; }
before=$(copies)
rc=$(play "$work/results-waived" -e sriov_preflight_fail_on=never -e sriov_preflight_fleet_fail_on=never \
     -e "sriov_preflight_waivers=waivers.toml")   # relative: taken from the directory the play runs in
if [ "$rc" != 0 ]; then cat "$work/results-waived.log"; echo "fleet-test: the play with waivers exited $rc, expected 0"; exit 1; fi
left=$(copies)
if [ "$left" != "$before" ]; then echo "fleet-test: the waiver file's copies were left on the hosts"; exit 1; fi
"$venv/bin/python" - "$work/results-waived" <<'PY'
import json, sys
d = sys.argv[1]
problems = []
for host, check, ready in (('notready-host', 'firmware.iommu-table', False), ('collect-host', 'sriov.pf-driver', True)):
    r = json.load(open('%s/%s.json' % (d, host)))
    waived = [x for x in r['results'] if x['id'] == check]
    if not waived or not all(x.get('waiver') for x in waived): problems.append('%s: %s not waived' % (host, check))
    if r['summary'].get('ready') != ready: problems.append('%s: ready %s, expected %s' % (host, r['summary'].get('ready'), ready))
ready = json.load(open(d + '/ready-host.json'))
if ready['summary'].get('waived'): problems.append('ready-host: a waiver matched')
for p in problems: print('MISMATCH:', p)
print('waived on the run-mode host and on the collected archive; the rest as before')
sys.exit(1 if problems else 0)
PY

step "done in $(( $(date +%s) - start )) s"
echo "fleet-test: 5 passed, 0 failed"
