export AWS_REGION=us-east-1
api_key = ""
-----BEGIN PUBLIC KEY-----
abc
-----END PUBLIC KEY-----
