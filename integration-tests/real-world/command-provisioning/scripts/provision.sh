#!/bin/bash
set -euo pipefail
echo "provisioning build ${BUILD_ID}"
sudo systemctl restart app || true
