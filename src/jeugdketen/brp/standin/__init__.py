"""The BRP stand-in: serves the BRP API's `POST /personen` contract over HTTP from a table of
synthetic persons, for the demo, the tests and development (the real BRP is out of reach
there). It runs as its own process on its own port (`jeugdketen brp-standin serve`), never
inside the platform's web workers: a synchronous worker that called its own server would
wait on itself.
"""
