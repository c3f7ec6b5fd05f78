"""
The SSH backend (fabric): configuration, the connection link, the remote job protocol and file
transfer, one module each.
"""
