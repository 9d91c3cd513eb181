# Offline stand-in for ansible-test's pip bootstrap script (it would download get-pip.py from Ansible's CI
# file server): pip from the interpreter's own ensurepip, then the packages asked for, from PyPI.
import os
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
cert = '/etc/ssl/certs/ca-certificates.crt'
extra = ['--cert', cert] if os.path.exists(cert) else []
subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + extra + args)
