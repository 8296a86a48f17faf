#!/usr/bin/env bash
# As the distribution's bin/kafka-metadata-quorum.sh: org.apache.kafka.tools.MetadataQuorumCommand.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.MetadataQuorumCommand "$@"
