# -*- coding: utf-8 -*-
# Copyright: sriov-preflight maintainers
# License: see galaxy.yml
"""Running the sriov-preflight binary from a module: a bounded run, and strict parsing of its JSON."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# Exit codes of `sriov-preflight check`: 0 ready, 1 not ready, 2 undecided; 64 usage / unreadable bundle.
VERDICT_CODES = (0, 1, 2)
REPORT_SCHEMA_VERSION = 2


class PreflightError(Exception):
    """The binary could not be run, or said something that is not what it should say."""

    def __init__(self, msg, **details):
        super(PreflightError, self).__init__(msg)
        self.msg = msg
        self.details = details


def binary_argument_spec(**options):
    """The argument spec of a module that runs the binary: `binary` and `root` (documented by the
    sriov.preflight.binary doc fragment), and the module's own `options`."""
    spec = dict(
        binary=dict(type='path', default='/usr/local/bin/sriov-preflight'),
        root=dict(type='path', default='/'),
    )
    spec.update(options)
    return spec


def run(module, args, timeout):
    """Runs BINARY ARGS under coreutils `timeout`; returns (rc, stdout, stderr)."""
    binary = module.params['binary']
    argv = [binary] + list(args)
    timeout_bin = module.get_bin_path('timeout')
    if timeout and timeout_bin:
        argv = [timeout_bin, '--kill-after=5', str(int(timeout))] + argv
    rc, out, err = module.run_command(argv, check_rc=False)
    if rc == 124 and timeout_bin:
        raise PreflightError('%s did not finish within %ss' % (binary, timeout), rc=rc, stdout=out, stderr=err)
    if rc == 127 or (rc == 126 and not out):
        raise PreflightError('cannot run %s: %s' % (binary, err.strip() or 'not found or not executable'),
                             rc=rc, stdout=out, stderr=err)
    return rc, out, err


def parse_json(text, what):
    """The one JSON document on stdout; anything else (empty, two documents, noise) is an error."""
    try:
        return json.loads(text)
    except ValueError as e:
        raise PreflightError('the %s output is not one JSON document: %s' % (what, e), stdout=text)


def parse_report(text):
    """The report document `check --format json` writes, checked for its schema version."""
    report = parse_json(text, 'report')
    if not isinstance(report, dict) or 'summary' not in report or 'results' not in report:
        raise PreflightError('the output is not a sriov-preflight report', stdout=text)
    version = report.get('schema_version')
    if version != REPORT_SCHEMA_VERSION:
        raise PreflightError('report schema version %s; this collection reads version %s'
                             % (version, REPORT_SCHEMA_VERSION), stdout=text)
    return report


def check_args(params):
    """The `check` arguments of the module options shared by check and fix."""
    args = []
    if params.get('bundle'):
        args += ['--bundle', params['bundle']]
    elif params.get('root') and params['root'] != '/':
        args += ['--root', params['root']]
    return args


def warnings_of(report):
    """One line per warning result that is neither ignored nor waived: `ID[OBJECT]: message`."""
    lines = []
    for r in report.get('results', []):
        if r.get('status') == 'warn' and not r.get('ignored') and not r.get('waiver'):
            obj = r.get('object', 'host')
            where = r.get('id', '?') + ('' if obj == 'host' else '[%s]' % obj)
            lines.append('%s: %s' % (where, r.get('message', '')))
    return lines


def policy_failure(report, fail_on):
    """The message the task fails with under `fail_on`, or None."""
    summary = report.get('summary', {})
    if fail_on == 'never':
        return None
    if not summary.get('ready', False):
        code = summary.get('exit_code')
        what = 'undecided (some checks could not run)' if code == 2 else 'not ready'
        return 'host is %s: %s fail, %s error' % (what, summary.get('fail', 0), summary.get('error', 0))
    if fail_on == 'warn' and summary.get('warn', 0) > 0:
        return 'host has %s warning(s) and fail_on is warn' % summary.get('warn', 0)
    return None
