/** A small unified diff (LCS over lines) for showing a plan; files here are a few hundred lines at most. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 2): string[] {
  const a = oldText === '' ? [] : oldText.split('\n');
  const b = newText.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      (lcs[i] as number[])[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
    }
  }
  const ops: { op: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i] as string });
      i++;
      j++;
    } else if (j < m && (i >= n || ((lcs[i] as number[])[j + 1] as number) > ((lcs[i + 1] as number[])[j] as number))) {
      ops.push({ op: '+', text: b[j] as string });
      j++;
    } else {
      ops.push({ op: '-', text: a[i] as string });
      i++;
    }
  }
  const keep = ops.map((o, k) => o.op !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((x) => x.op !== ' '));
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let skipping = false;
  ops.forEach((o, k) => {
    if (keep[k]) {
      out.push(`${o.op}${o.text}`);
      skipping = false;
    } else if (!skipping) {
      out.push('@@ ... @@');
      skipping = true;
    }
  });
  return out;
}
