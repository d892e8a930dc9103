#!/bin/sh
# Regenerates the fonts vendored in this folder from Debian's packages.
# Needs: fonts-noto-core, fonts-noto-cjk (apt-get install), fonttools and brotli (pip install fonttools brotli).
# The scripts, their languages (Census 2021 main-language categories) and the file for each are listed in
# scripts.json; crates/grabpack-pack/tests/scripts.rs checks that fonts.rs and this folder match it.
# Everything is SIL OFL 1.1 (see OFL.txt). Run from anywhere: ./assets/fonts/make-fonts.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
core=/usr/share/fonts/truetype/noto
cjk=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

for f in NotoSans NotoSansArabic NotoSansBengali NotoSansGurmukhi NotoSansGujarati NotoSansDevanagari \
         NotoSansTamil NotoSansHebrew NotoSansThai \
         NotoSansTelugu NotoSansMalayalam NotoSansKannada NotoSansSinhala NotoSansOriya NotoSansThaana \
         NotoSansLao NotoSansKhmer NotoSansMyanmar NotoSansGeorgian NotoSansArmenian; do
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

# Korean: every one of the 11,172 precomposed Hangul syllables (1.4 MB) rather than the 2,350 of KS X 1001
# (0.5 MB): Korean given names are free combinations of syllables and some real ones fall outside
# KS X 1001; 0.9 MB more in the binary is cheaper than one name drawn as boxes. Plus the conjoining and
# compatibility jamo, ASCII, Latin-1 and CJK punctuation. Face 1 of the collection is Noto Sans CJK KR.
pyftsubset "$cjk" --font-number=1 \
  --unicodes="U+AC00-D7A3,U+1100-11FF,U+3130-318F,U+A960-A97F,U+D7B0-D7FF,U+0020-007E,U+00A0-00FF,U+3000-303F,U+FF00-FFEF" \
  --layout-features='*' --no-hinting \
  --name-IDs='*' --name-legacy --name-languages='*' \
  --output-file="$here/NotoSansCJKkr-Regular-subset.otf"

# The same fonts for the app's window, as WOFF2 with unicode-range (ui/src/fonts/).
python3 "$here/make-web-fonts.py"
ls -l "$here"
