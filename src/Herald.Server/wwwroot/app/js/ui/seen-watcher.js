// Decides when a message has really been shown: its bubble is mostly on screen, in the open chat, while the page is
// visible. Only then does the sender learn it was seen.
const SHOWN_RATIO = 0.6;

export class SeenWatcher {
  #onSeen;
  #observer;
  #onScreen = new Map(); // element → message id, while it is on screen
  #reported = new Set();
  #onVisibility = () => this.#report();

  /** @param {Element} scroller the chat's scrolling area @param {(ids: string[]) => void} onSeen */
  constructor(scroller, onSeen) {
    this.#onSeen = onSeen;
    this.#observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        // A bubble taller than the chat counts once it fills most of it.
        const shown = entry.isIntersecting && (entry.intersectionRatio >= SHOWN_RATIO
          || entry.intersectionRect.height >= entry.rootBounds.height * SHOWN_RATIO);
        if (shown)
          this.#onScreen.set(entry.target, entry.target.dataset.id);
        else
          this.#onScreen.delete(entry.target);
      }
      this.#report();
    }, { root: scroller, threshold: [0, 0.25, 0.5, SHOWN_RATIO, 0.8, 1] });
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  watch(element) {
    if (!this.#reported.has(element.dataset.id))
      this.#observer.observe(element);
  }

  dispose() {
    this.#observer.disconnect();
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  #report() {
    if (document.visibilityState !== 'visible' || this.#onScreen.size === 0)
      return;
    const ids = [];
    for (const [element, id] of this.#onScreen) {
      this.#observer.unobserve(element);
      this.#reported.add(id);
      ids.push(id);
    }
    this.#onScreen.clear();
    this.#onSeen(ids);
  }
}
