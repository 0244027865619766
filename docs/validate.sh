#!/usr/bin/env bash
# Checks docs/asyncapi.yaml with the AsyncAPI project's own parser (@asyncapi/parser from npm,
# installed once into ~/.cache/storefront-asyncapi). Skipped, not failed, when node or npm is
# missing or the package cannot be installed; any error in the document fails the script.
#
# Usage: docs/validate.sh
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${XDG_CACHE_HOME:-$HOME/.cache}/storefront-asyncapi"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "== asyncapi: skipped (node and npm are needed)"
  exit 0
fi
if [[ ! -d "$tools/node_modules/@asyncapi/parser" ]]; then
  mkdir -p "$tools"
  if ! npm install --prefix "$tools" --silent --no-audit --no-fund @asyncapi/parser@3 >"$tools/install.log" 2>&1; then
    echo "== asyncapi: skipped (could not install @asyncapi/parser, see $tools/install.log)"
    exit 0
  fi
fi

cat >"$tools/check.mjs" <<'JS'
import { Parser, fromFile } from '@asyncapi/parser';
const { document, diagnostics } = await fromFile(new Parser(), process.argv[2]).parse();
// Severity 0 is an error; warnings and hints are printed but pass.
for (const d of diagnostics) {
  console.log(`   ${['error', 'warning', 'info', 'hint'][d.severity]}: ${d.message} at ${d.path.join('.')}`);
}
process.exit(document && !diagnostics.some((d) => d.severity === 0) ? 0 : 1);
JS

echo "== asyncapi: $here/asyncapi.yaml"
if (cd "$tools" && node check.mjs "$here/asyncapi.yaml"); then
  echo "   ok"
else
  echo "   FAILED: docs/asyncapi.yaml" >&2
  exit 1
fi
