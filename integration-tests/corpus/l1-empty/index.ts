// An empty program: only the stack is registered.
