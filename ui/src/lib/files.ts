// A chosen file as base64, for the add_photo command (the bytes go straight into the encrypted
// store; nothing is written to disk on the way).
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error);
    r.onload = () => {
      const s = String(r.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}

/** The top-level field a validation path belongs to: `people.family[0].name` -> `people.family`. */
export function fieldOf(errorPath: string, fieldPaths: string[]): string | undefined {
  let best: string | undefined;
  for (const p of fieldPaths) {
    if ((errorPath === p || errorPath.startsWith(p + '.') || errorPath.startsWith(p + '[')) && (!best || p.length > best.length)) {
      best = p;
    }
  }
  return best;
}

export const idFor = (path: string) => 'f-' + path.replace(/[.[\]]+/g, '-').replace(/-$/, '');
