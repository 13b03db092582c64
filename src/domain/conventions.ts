/** Per convention rule (by id): its findings in a file and the nodes there written the way the rule wants. */
export type ConventionCounts = Readonly<Record<string, { readonly violating: number; readonly conforming: number }>>;
