#!/bin/sh
# Regenerates the fonts vendored in this folder from Debian's packages.
# Needs: fonts-noto-core, fonts-noto-cjk (apt-get install), fonttools (pip install fonttools).
# Everything is SIL OFL 1.1 (see OFL.txt). Run from anywhere: ./assets/fonts/make-fonts.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
core=/usr/share/fonts/truetype/noto
cjk=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

for f in NotoSans NotoSansArabic NotoSansBengali NotoSansGurmukhi NotoSansGujarati NotoSansDevanagari \
         NotoSansTamil NotoSansHebrew NotoSansThai; do
  for w in Regular Bold; do
    cp "$core/$f-$w.ttf" "$here/"
  done
done
# Ethiopic (Tigrinya, Amharic) is large: regular weight only.
cp "$core/NotoSansEthiopic-Regular.ttf" "$here/"

# Chinese: a whole CJK font is ~16-20 MB, so keep a subset of Noto Sans CJK SC (face 2 of the collection):
# every Hanzi of GB2312 (level 1 = the 3,755 most common, level 2 = 3,008 more), the 5,401 common
# characters of Big5 (traditional names, e.g. Hong Kong families), ASCII, CJK punctuation, Japanese kana
# and full-width forms.
python3 "$here/cjk_chars.py" > "$here/cjk-chars.txt"
pyftsubset "$cjk" --font-number=2 \
  --text-file="$here/cjk-chars.txt" \
  --unicodes="U+0020-007E,U+00A0-00FF,U+3000-30FF,U+FF00-FFEF,U+2010-2027,U+00B7" \
  --layout-features='*' --no-hinting \
  --name-IDs='*' --name-legacy --name-languages='*' \
  --output-file="$here/NotoSansCJKsc-Regular-subset.otf"
rm "$here/cjk-chars.txt"
ls -l "$here"
