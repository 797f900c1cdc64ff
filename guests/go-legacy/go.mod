module mockforge.dev/guest

go 1.24
