#!/usr/bin/env python
from mispers.cli import main

if __name__ == "__main__":
    main()
