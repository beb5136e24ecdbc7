"""`python -m unspoken` runs the command line."""

from unspoken.cli import main

if __name__ == "__main__":
    main()
