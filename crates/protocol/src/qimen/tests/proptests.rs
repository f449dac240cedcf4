//! Round trips by property: every Qimen DTO through both formats, and the domain's valid drafts
//! through the wire and back to the same validated batch.

use std::collections::{BTreeMap, BTreeSet};

use posbridge_domain::clerk::ClerkBatchDraft;
use posbridge_domain::ids::ShopId;
use posbridge_domain::testing::clerks::valid_batch_draft;
use proptest::prelude::*;

use crate::dto::QimenRequest;
use crate::qimen::{
    InvalidXmlName, QimenAnswer, QimenFormat, read_answer, read_request, write_error_response,
    write_request, write_response,
};
use crate::strategies::{qimen_error_response, qimen_request, qimen_response};

const FORMATS: [QimenFormat; 2] = [QimenFormat::Xml, QimenFormat::Json];

/// The same request with every `extendProps` key renamed to a valid XML name, so that XML
/// round trips cover requests whose generated keys XML cannot carry.
fn with_xml_keys(request: &QimenRequest) -> QimenRequest {
    let mut request = request.clone();
    for clerk in request.clerks.iter_mut().flatten() {
        if let Some(props) = &mut clerk.extend_props {
            *props = std::mem::take(props)
                .into_values()
                .enumerate()
                .map(|(index, value)| (format!("p{index}"), value))
                .collect::<BTreeMap<_, _>>();
        }
    }
    request
}

proptest! {
    #[test]
    fn requests_round_trip(request in qimen_request()) {
        for format in FORMATS {
            let body = write_request(&request, format).unwrap();
            prop_assert_eq!(read_request(&body, format).unwrap(), request.clone(), "{:?}", format);
        }
    }

    #[test]
    fn answers_round_trip(response in qimen_response(), error in qimen_error_response()) {
        for format in FORMATS {
            let body = write_response(&response, format);
            prop_assert_eq!(read_answer(&body, format).unwrap(), QimenAnswer::Response(response.clone()));
            let body = write_error_response(&error, format);
            prop_assert_eq!(read_answer(&body, format).unwrap(), QimenAnswer::Error(error.clone()));
        }
    }

    #[test]
    fn valid_domain_drafts_survive_the_wire(
        (draft, batch) in valid_batch_draft(&BTreeSet::from([ShopId::new("M123"), ShopId::new("店<1>&")])),
    ) {
        let request = QimenRequest::from(&draft);
        for format in FORMATS {
            let request = match write_request(&request, format) {
                Err(InvalidXmlName { .. }) if format == QimenFormat::Xml => with_xml_keys(&request),
                _ => request.clone(),
            };
            let body = write_request(&request, format).unwrap();
            let read = read_request(&body, format).unwrap();
            prop_assert_eq!(&read, &request);
            let mapped = ClerkBatchDraft::from(read);
            if request == QimenRequest::from(&draft) {
                prop_assert_eq!(&mapped, &draft);
                prop_assert_eq!(mapped.validate().unwrap(), batch.clone());
            } else {
                // Renamed keys change the clerks' properties and nothing else.
                prop_assert_eq!(mapped.validate().unwrap().action(), batch.action());
            }
        }
    }
}
