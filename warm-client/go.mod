module k3sbox.dev/warmclient

go 1.25.0
