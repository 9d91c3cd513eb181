#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: sriov-preflight maintainers
# License: see galaxy.yml

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: check
short_description: Check whether a host is ready for SR-IOV NIC virtualization
version_added: "0.2.0"
description:
  - Runs C(sriov-preflight check --format json) on the host and returns its report document as the task result.
  - Read-only; never reports C(changed). Runs the same in check mode (the report is real).
  - Each warning result becomes an Ansible warning. The task fails only as O(fail_on) says.
  - With O(bundle), judges an archive collected by M(sriov.preflight.collect) instead of the host itself
    (run it on the controller with C(delegate_to)).
author:
  - sriov-preflight maintainers (@sriov-preflight)
extends_documentation_fragment:
  - sriov.preflight.binary
options:
  bundle:
    description: A collected archive (.tar.gz) to judge instead of the host; O(root) is then ignored.
    type: path
  only:
    description: Run only these checks or categories.
    type: list
    elements: str
    default: []
  ignore:
    description: Ignore these results (C(ID), C(ID@OBJECT), a category or C(all)); ignored results never fail.
    type: list
    elements: str
    default: []
  strict:
    description: Warnings count as failures in the report itself.
    type: bool
    default: false
  waivers:
    description:
      - A waiver file (TOML, C(sriov-preflight check --waivers)) on the machine the binary runs on; each entry
        accepts a result (C(ID) or C(ID@OBJECT)) with a justification and an expiry date.
      - A waived result keeps its status in the report but counts neither against readiness nor for O(fail_on),
        and does not become an Ansible warning. An expired waiver has no effect (the report says so).
    type: path
  fail_on:
    description:
      - V(not_ready) fails the task when the report says the host is not ready (or undecided).
      - V(warn) also fails it on any warning.
      - V(never) never fails it for a verdict (only when the binary cannot run or says nothing readable).
    type: str
    choices: [not_ready, warn, never]
    default: not_ready
  timeout:
    description: Seconds the binary may run (coreutils C(timeout)); 0 for no limit.
    type: int
    default: 120
attributes:
  check_mode:
    description: Runs in check mode and returns the real report.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: none
notes:
  - Exit codes of the binary are 0 ready, 1 not ready, 2 undecided; other codes fail the task.
'''

EXAMPLES = r'''
- name: Check the host
  sriov.preflight.check:
    fail_on: never
  register: preflight

- name: Check the host, accepting what the site's waiver file accepts
  sriov.preflight.check:
    waivers: /etc/sriov-preflight/waivers.toml

- name: Judge a collected archive on the controller
  sriov.preflight.check:
    binary: "{{ playbook_dir }}/bin/sriov-preflight"
    bundle: "results/{{ inventory_hostname }}.tar.gz"
  delegate_to: localhost
'''

RETURN = r'''
report:
  description: The report document (reports/report.schema.json).
  returned: success
  type: dict
ready:
  description: Whether the report says the host is ready.
  returned: success
  type: bool
exit_code:
  description:
    - Exit code of the binary (0 ready, 1 not ready, 2 undecided). Not named C(rc), which Ansible would read
      as the task failing.
  returned: success
  type: int
summary:
  description: Counts per status, ready and exit_code.
  returned: success
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.sriov.preflight.plugins.module_utils.preflight import (
    PreflightError, VERDICT_CODES, binary_argument_spec, check_args, parse_report, policy_failure, run, warnings_of)


def main():
    module = AnsibleModule(
        argument_spec=binary_argument_spec(
            bundle=dict(type='path'),
            only=dict(type='list', elements='str', default=[]),
            ignore=dict(type='list', elements='str', default=[]),
            strict=dict(type='bool', default=False),
            waivers=dict(type='path'),
            fail_on=dict(type='str', choices=['not_ready', 'warn', 'never'], default='not_ready'),
            timeout=dict(type='int', default=120),
        ),
        supports_check_mode=True,
    )
    p = module.params
    args = ['check', '--format', 'json', '--no-color'] + check_args(p)
    if p['only']:
        args += ['--only', ','.join(p['only'])]
    if p['ignore']:
        args += ['--ignore', ','.join(p['ignore'])]
    if p['strict']:
        args.append('--strict')
    if p['waivers']:
        args += ['--waivers', p['waivers']]
    try:
        rc, out, err = run(module, args, p['timeout'])
        if rc not in VERDICT_CODES:
            raise PreflightError('%s check exited %s: %s' % (p['binary'], rc, err.strip()), rc=rc, stdout=out, stderr=err)
        report = parse_report(out)
    except PreflightError as e:
        module.fail_json(msg=e.msg, changed=False, **e.details)
    for line in warnings_of(report):
        module.warn(line)
    summary = report.get('summary', {})
    result = dict(changed=False, exit_code=rc, report=report, ready=bool(summary.get('ready')), summary=summary)
    failure = policy_failure(report, p['fail_on'])
    if failure:
        module.fail_json(msg=failure, **result)
    result['msg'] = 'ready' if result['ready'] else 'not ready (fail_on: %s)' % p['fail_on']
    module.exit_json(**result)


if __name__ == '__main__':
    main()
