/** A note of the sample server. */
export interface Note {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

/**
 * In-memory notes: enough state to exercise read and write tools. Each task keeps its own
 * copy; the sample demonstrates the security path, not a data store.
 */
export class NoteStore {
  private readonly notes = new Map<string, Note>();
  private nextId = 1;

  constructor(seed: ReadonlyArray<Omit<Note, 'id'>> = []) {
    seed.forEach((note) => this.add(note.title, note.body));
  }

  search(query: string): Note[] {
    const needle = query.toLowerCase();
    return [...this.notes.values()].filter((n) => n.title.toLowerCase().includes(needle) || n.body.toLowerCase().includes(needle));
  }

  get(id: string): Note | undefined {
    return this.notes.get(id);
  }

  add(title: string, body: string): Note {
    const note = { id: String(this.nextId++), title, body };
    this.notes.set(note.id, note);
    return note;
  }

  delete(id: string): boolean {
    return this.notes.delete(id);
  }
}
