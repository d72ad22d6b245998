// Marginalia as a benchmark peer. Injected at document start next to harness/driver.js; it
// drives the built app only through the hooks of ui-contract.md, as a user or an outside tool
// would: the `open-document` and `import-annotations` file inputs, the page's Selection plus
// the `1`/`2`/`3` keys, a click on an `annotation` item, the keys that retag, delete, undo and
// link, and `annotation-list[data-count]` (and the other hooks) to know when work is done.
//
// The harness's article has one paragraph per line; Marginalia's paragraphs are separated by a
// blank line, so the text is opened with "\n\n" between paragraphs, and the harness's UTF-16
// offsets are mapped to Marginalia's code points (each earlier "\n" is now two, each earlier
// surrogate pair is one code point).
(() => {
  const params = new URLSearchParams(location.search);
  if (!params.get('benchArticle')) return;
  // ?benchRelations=N: the bulk import also links N pairs of its annotations (attributed-to).
  const BULK_RELATIONS = Number(params.get('benchRelations') ?? 0);
  const LABEL_KEYS = { claim: '1', quote: '2', condition: '3' };
  const $ = (css) => document.querySelector(css);
  const count = () => Number($('[data-testid=annotation-list]')?.dataset.count ?? NaN);
  // `until`, then a frame (the app's keyboard handler reads the state its last render left),
  // failing after 10 s with the step's name rather than hanging the run.
  const settled = async (done, step) => {
    await Promise.race([
      until(done),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`relation step ${step} did not happen`)), 10000)),
    ]);
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  };
  const linkedFrom = new Set();
  const edited = new Set(); // annotations selected for retag/delete/undo so far
  let selected = null; // the id of the one selected last
  let preparedOne = null; // the id of the annotation whose span prepareOne selected
  const itemOf = (id) => $(`[data-testid=annotation][data-id="${CSS.escape(id)}"]`);
  const relationCount = () => Number($('[data-testid=annotation-list]')?.dataset.relations ?? NaN);
  const key = (name, modifiers = {}) =>
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, ...modifiers }));
  // Resolves on the first macrotask turn where `done()` holds (no rAF quantisation).
  const until = (done) => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => (done() ? resolve() : channel.port2.postMessage(0));
    channel.port2.postMessage(0);
  });
  // True from a frame's first rAF callback until the first task after that frame's rendering
  // update: a change made meanwhile is drawn by that very frame. (Every rAF callback of the
  // page, the harness's `timed` among them, goes through this wrapper.)
  let inFrame = false;
  const frameEnd = new MessageChannel();
  frameEnd.port1.onmessage = () => { inFrame = false; };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => raf((time) => {
    if (!inFrame) { inFrame = true; frameEnd.port2.postMessage(0); }
    callback(time);
  });
  const afterThisFrame = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });
  // Does `act()`, then resolves once the UI shows `done()` and that change is drawn: the DOM is
  // watched, and at the change the frame that draws it is awaited (the current one when the
  // change came inside a frame's callbacks, e.g. a key pressed in the harness's `timed`, else
  // the next one, e.g. a reply that came in a later task).
  const drawnAfter = (act, done) => new Promise((resolve) => {
    let seen = false;
    const check = () => {
      if (seen || !done()) return;
      seen = true;
      observer.disconnect();
      (inFrame ? afterThisFrame() : window.__bench.afterPaint()).then(resolve);
    };
    const observer = new MutationObserver(check);
    observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
    act();
    check();
  });
  // The timed keystroke of +1, retag, delete, undo and +1 relation, as a user presses it.
  const press = (name, done, modifiers) => drawnAfter(() => key(name, modifiers), done);

  let newlines = new Int32Array(0); // UTF-16 offsets of "\n" in the harness text
  let surrogates = new Int32Array(0); // UTF-16 offsets of high surrogates
  const countBelow = (sorted, x) => {
    let lo = 0, hi = sorted.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  };
  const toCodePoints = (utf16) => utf16 + countBelow(newlines, utf16) - countBelow(surrogates, utf16);

  const choose = (testid, name, content, type) => {
    const input = $(`[data-testid=${testid}]`);
    const files = new DataTransfer();
    files.items.add(new File([content], name, { type }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };

  // A DOM range for code points [start, end) of the open document, found through the
  // paragraphs' data-offset (binary search) and their single text node.
  const paragraphs = () => document.querySelectorAll('[data-testid=article] [data-offset]');
  let paragraphList = []; // the open document's paragraph elements, found once per load
  const pointAt = (offset) => {
    const list = paragraphList;
    let lo = 0, hi = list.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (+list[mid].dataset.offset <= offset) lo = mid; else hi = mid - 1; }
    const paragraph = list[lo];
    const text = paragraph.firstChild.data;
    // Code points -> UTF-16 inside the paragraph.
    let cp = offset - +paragraph.dataset.offset, unit = 0;
    while (cp > 0 && unit < text.length) { const c = text.charCodeAt(unit); unit += c >= 0xd800 && c < 0xdc00 ? 2 : 1; cp--; }
    return [paragraph.firstChild, unit];
  };

  let wasmMemory = null;
  // Export timing: the app downloads through URL.createObjectURL; note when it is called.
  let blobMade = null;
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob) => { const url = createObjectURL(blob); if (blobMade) { blobMade(blob.size); blobMade = null; } return url; };
  addEventListener('TrunkApplicationStarted', (e) => { wasmMemory = e.detail?.wasm?.memory ?? null; });

  const peer = {
    async load(text) {
      const nl = [], sur = [];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) nl.push(i); else if (c >= 0xd800 && c < 0xdc00) sur.push(i);
      }
      newlines = Int32Array.from(nl);
      surrogates = Int32Array.from(sur);
      choose('open-document', 'bench-article.txt', text.split('\n').join('\n\n'), 'text/plain');
      await until(() => $('[data-testid=document][aria-current=true]')?.dataset.name === 'bench-article.txt'
        && paragraphs().length === nl.length + 1);
      paragraphList = paragraphs();
    },
    async addAnnotations(list) {
      const annotations = list.map((a) => ({ id: a.id, start: toCodePoints(a.start), end: toCodePoints(a.end), tag: a.label }));
      const relations = [];
      for (let i = 0; i < BULK_RELATIONS && 2 * i + 1 < list.length; i++) {
        relations.push({ id: `rel${i}`, type: 'attributed-to', from: list[2 * i].id, to: list[2 * i + 1].id });
      }
      const target = count() + list.length;
      const file = JSON.stringify({ format: 'marginalia', version: 1, annotations, relations });
      await drawnAfter(() => choose('import-annotations', 'bench.marginalia.json', file, 'application/json'),
        () => count() === target && relationCount() === relations.length);
    },
    // One more annotation as a user makes it: the span selected (the page's Selection and a
    // mouseup, untimed, until the app shows its tag buttons), then the timed key of its label.
    async prepareOne(a) {
      const range = document.createRange();
      range.setStart(...pointAt(toCodePoints(a.start)));
      range.setEnd(...pointAt(toCodePoints(a.end)));
      const selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      await until(() => $('[data-testid=tag-claim]')); // the app has taken the selection
      preparedOne = a.id;
    },
    async addOne(a) {
      if (preparedOne !== a.id) await this.prepareOne(a);
      preparedOne = null;
      const target = count() + 1;
      await press(LABEL_KEYS[a.label], () => count() === target);
    },
    // Editing as a user does by keyboard: `select` clicks a list item in view (not one used
    // before, the list being windowed) and waits until it is selected; then the timed keys:
    // `retag` the next label's digit, until its item shows the new `data-tag`; `remove` the
    // Delete key, until the list counts one less; `undo` Ctrl+Z, until it counts one more.
    async select() {
      const items = [...document.querySelectorAll('[data-testid=annotation]')];
      const item = items.find((e) => !edited.has(e.dataset.id)) ?? items[0];
      selected = item.dataset.id;
      edited.add(selected);
      item.click();
      await settled(() => itemOf(selected)?.getAttribute('aria-selected') === 'true', 'select');
    },
    retag() {
      const tags = Object.keys(LABEL_KEYS);
      const next = tags[(tags.indexOf(itemOf(selected).dataset.tag) + 1) % tags.length];
      return press(LABEL_KEYS[next], () => itemOf(selected)?.dataset.tag === next);
    },
    remove() {
      const target = count() - 1;
      return press('Delete', () => count() === target);
    },
    undo() {
      const target = count() + 1;
      return press('z', () => count() === target, { ctrlKey: true });
    },
    // Making a relation as a user does by keyboard: the i-th list item in view is selected
    // (a click), `r` starts the link and `j` moves the target to the next annotation; then
    // `addRelation` is the Enter that makes it, done when the list counts one more relation.
    async prepareRelation() {
      // An annotation in view not linked from yet (the list is windowed and follows the
      // selection, so the same index may be the same item again), not the last one.
      const items = [...document.querySelectorAll('[data-testid=annotation]')].slice(0, -1);
      const item = items.find((e) => !linkedFrom.has(e.dataset.id)) ?? items[0];
      const id = item.dataset.id;
      linkedFrom.add(id);
      item.click();
      // The list may render the item anew (it scrolls to it): look it up by id.
      await settled(() => $('[data-testid=annotation][aria-selected=true]')?.dataset.id === id, 'select');
      key('r');
      await settled(() => $('[data-testid=link-start]')?.getAttribute('aria-pressed') === 'true', 'r');
      key('j');
      await settled(() => $('[data-link-target=true]'), 'j');
    },
    // Resolves once the list counts one more relation, or the status says the two were
    // linked already (a pair of the bulk file's relations): `relationCount` tells which.
    addRelation() {
      const target = relationCount() + 1;
      return press('Enter', () => relationCount() === target || /already linked/.test($('[data-testid=status]')?.textContent ?? ''));
    },
    relationCount,
    // Suggestions turned on; done when those in view are listed (the app's user timing
    // `marginalia:suggestions-in-view`, from the toggle to the first list); turned off again.
    async suggestInView() {
      const t0 = performance.now();
      $('[data-testid=suggestions-toggle]').click();
      const measured = () => performance.getEntriesByName('marginalia:suggestions-in-view', 'measure').at(-1);
      await until(() => measured() && $('[data-testid=suggestion-list]'));
      const ms = performance.now() - t0;
      $('[data-testid=suggestions-toggle]').click();
      return ms;
    },
    count,
    // The app marks each save of a change as the user-timing measure `marginalia:save`.
    lastSaveMs: () => performance.getEntriesByName('marginalia:save', 'measure').at(-1)?.duration ?? null,
    // Export W3C through the UI; done when the download's blob URL is made.
    async exportW3C() {
      const made = new Promise((resolve) => { blobMade = resolve; });
      const select = $('[data-testid=export-format]');
      select.value = 'w3c';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      $('[data-testid=export]').click();
      await made;
    },
    scrollElement: () => $('[data-testid=article]').parentElement,
    // Bytes of wasm linear memory (the JS heap figure does not include it).
    wasmMemoryBytes: () => (wasmMemory ? wasmMemory.buffer.byteLength : null),
  };

  // Offer the peer once the app has mounted.
  const offer = () => ($('[data-testid=open-document]') ? ((window.benchPeer = peer), true) : false);
  const observer = new MutationObserver(() => offer() && observer.disconnect());
  addEventListener('DOMContentLoaded', () => offer() || observer.observe(document.body, { childList: true, subtree: true }));
})();
