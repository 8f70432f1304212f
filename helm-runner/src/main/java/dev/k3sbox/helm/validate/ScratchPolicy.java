package dev.k3sbox.helm.validate;

/** What a validation does with the scratch objects it made once it is done. */
public enum ScratchPolicy {
  /**
   * Keeps them, labelled, for the next validation to reuse: on a k3sbox cluster. Deleting and
   * re-creating CRDs on every run made the API server grow by ~200 MB a run (it builds handlers and
   * OpenAPI models per CRD and does not give them back), made runs wait on deletions, and made two
   * runs at once delete each other's CRDs.
   */
  KEEP,
  /** Asks for their deletion without waiting: on someone's real cluster. */
  DELETE
}
