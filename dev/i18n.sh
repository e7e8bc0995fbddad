#!/usr/bin/env bash
# `make i18n`: extract the extension's strings, update the Indonesian (id) and
# English (en) catalogs, and compile them. The compiled .mo files are committed:
# a portal gets working translations from the package alone.
#
#   dev/i18n.sh    extract + update + compile

# shellcheck source=dev/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

DOMAIN=ckanext-sipessut
I18N=$ROOT/ckanext/sipessut/i18n
LOCALES="id en"

venv=$(venv_dir 2.12)
[ -x "$venv/bin/pybabel" ] || venv=$(ensure_venv 2.12)
pybabel() { "$venv/bin/pybabel" -q "$@"; }

cd "$ROOT"
pybabel extract -F "$I18N/babel.cfg" --no-location --sort-by-file --width 100 \
  --project ckanext-sipessut --copyright-holder "ckanext-sipessut contributors" \
  -o "$I18N/$DOMAIN.pot" ckanext/sipessut
for locale in $LOCALES; do
  po=$I18N/$locale/LC_MESSAGES/$DOMAIN.po
  if [ -f "$po" ]; then
    pybabel update -D "$DOMAIN" -i "$I18N/$DOMAIN.pot" -d "$I18N" -l "$locale" --no-fuzzy-matching --width 100
  else
    pybabel init -D "$DOMAIN" -i "$I18N/$DOMAIN.pot" -d "$I18N" -l "$locale" --width 100
  fi
done
pybabel compile -D "$DOMAIN" -d "$I18N" --statistics
