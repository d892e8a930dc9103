"""Prints the Han characters kept in the Chinese font subset (see make-fonts.sh).

GB2312 rows 16-55 are level 1 (3,755 most common simplified characters, a superset of nearly all of the
3,500 'commonly used' characters of the 通用规范汉字表 level 1), rows 56-87 level 2.
Big5 0xA440-0xC67E are its 5,401 'frequently used' traditional characters.
Both tables are built into Python's codecs, so no list is downloaded."""

chars = set()
for row in range(16, 88):
    for col in range(1, 95):
        try:
            chars.add(bytes([0xA0 + row, 0xA0 + col]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
for lead in range(0xA4, 0xC7):
    for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
        if lead == 0xC6 and trail > 0x7E:
            break
        try:
            chars.add(bytes([lead, trail]).decode("big5"))
        except UnicodeDecodeError:
            pass
print("".join(sorted(c for c in chars if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")))
