//! Reading: the seeds' indented samples, and the leniencies CONTRACT §8 asks for (any prefix, any
//! order, missing members, BOM and declaration, `nil` under any prefix).

use super::*;
use crate::dto::{
    PosSellDeleteOrCloseParm, PosSellFromWebInterfaceParm, QimenRequest,
    UnPosCustomerCalculateAddParm,
};

const SEED_001_INDENTED: &str = include_str!("../../../testdata/seed-001-request.indented.xml");
const SEED_001_COMPACT: &str = include_str!("../../../testdata/doc-001-request.xml");
const SEED_002_INDENTED: &str = include_str!("../../../testdata/seed-002-request.indented.xml");
const SEED_002_COMPACT: &str = include_str!("../../../testdata/doc-002-request.xml");

fn from_json<T: WireType>(json: &str) -> T {
    let node = crate::json::read_json(json.as_bytes()).unwrap();
    T::from_root(&node).unwrap()
}

#[test]
fn the_seed_001_samples_read_alike_in_every_spelling() {
    let indented: PosSellFromWebInterfaceParm = parse(SEED_001_INDENTED.as_bytes());
    let compact: PosSellFromWebInterfaceParm = parse(SEED_001_COMPACT.as_bytes());
    assert_eq!(indented, compact);
    // Exactly, scales included.
    assert_eq!(format!("{indented:?}"), format!("{compact:?}"));
    assert_eq!(
        compact.plan_deliver_type.as_deref(),
        Some("sample string 7")
    );
    assert_eq!(compact.details.as_ref().map(Vec::len), Some(2));
    // The JSON sample writes `2.0` where the XML one writes `2`: equal values, other scales.
    let json: PosSellFromWebInterfaceParm =
        from_json(include_str!("../../../testdata/seed-001-request.json"));
    assert_eq!(json, compact);
}

#[test]
fn the_seed_002_samples_read_alike_in_every_spelling() {
    let indented: UnPosCustomerCalculateAddParm = parse(SEED_002_INDENTED.as_bytes());
    let compact: UnPosCustomerCalculateAddParm = parse(SEED_002_COMPACT.as_bytes());
    assert_eq!(format!("{indented:?}"), format!("{compact:?}"));
    let details = compact.details.as_ref().unwrap();
    assert_eq!(details.len(), 2);
    assert_eq!(details[1].product_name.as_deref(), Some("sample string 9"));
    let json: UnPosCustomerCalculateAddParm =
        from_json(include_str!("../../../testdata/seed-002-request.json"));
    assert_eq!(json, compact);
}

#[test]
fn the_tree_has_local_names_in_document_order() {
    check_read("<a/>", "{}");
    check_read("<a></a>", "{}");
    check_read("<a><b/></a>", r#"{b:""}"#);
    check_read("<a><b>  x </b></a>", r#"{b:"  x "}"#);
    check_read("<a><b>   </b></a>", r#"{b:"   "}"#);
    check_read(
        "<p:a xmlns:p='urn:p'><p:b>1</p:b><c>2</c><q:b xmlns:q='urn:q'>3</q:b></p:a>",
        r#"{b:"1",c:"2",b:"3"}"#,
    );
    check_read(
        "<a>\n  <l>\n    <i><v>1</v></i>\n    <i><v>2</v></i>\n  </l>\n</a>\n",
        r#"{l:{i:{v:"1"},i:{v:"2"}}}"#,
    );
    check_read(
        "<a><b>x&amp;y&lt;&gt;&apos;&quot;&#xD;&#10;&#x4E2D;</b></a>",
        r#"{b:"x&y<>'\"\r\n中"}"#,
    );
    // Raw line breaks are normalised as XML requires; `&#xD;` is how a carriage return survives.
    check_read("<a><b>1\r\n2\r3</b></a>", r#"{b:"1\n2\n3"}"#);
    check_read(
        "<a><b><![CDATA[<x> & ]]>y</b><!-- note --><?pi x?></a>",
        r#"{b:"<x> & y"}"#,
    );
    check_read("<a><b>x<!-- c -->y</b></a>", r#"{b:"xy"}"#);
    check_read("<a>x</a>", r#""x""#);
}

#[test]
fn nil_is_null_under_any_prefix() {
    let xsi = "http://www.w3.org/2001/XMLSchema-instance";
    check_read(r#"<a><b i:nil="true"/></a>"#, "{b:nil}");
    check_read(
        &format!(r#"<a xmlns:xsi="{xsi}"><b xsi:nil="true" /></a>"#),
        "{b:nil}",
    );
    check_read(r#"<a><b nil="1"/></a>"#, "{b:nil}");
    check_read(r#"<a><b x:nil=" true "/></a>"#, "{b:nil}");
    check_read(r#"<a><b i:nil="false">x</b></a>"#, r#"{b:"x"}"#);
    check_read(r#"<a><b xmlns:nil="urn:n">x</b></a>"#, r#"{b:"x"}"#);
    // A nil element is null whatever it holds.
    check_read(r#"<a><b i:nil="true"><c>1</c></b></a>"#, "{b:nil}");
    check_read(r#"<a i:nil="true"/>"#, "nil");
}

#[test]
fn other_prefixes_orders_and_missing_members_read_as_the_same_dto() {
    let ns = crate::dto::NS_SELL;
    let expect = PosSellDeleteOrCloseParm {
        bill_num: Some("B-1".into()),
        sender_bill_num: Some("S-1".into()),
    };
    for xml in [
        format!(
            "<a:PosSellDeleteOrCloseParm xmlns:a=\"{ns}\"><a:BillNum>B-1</a:BillNum>\
             <a:SenderBillNum>S-1</a:SenderBillNum></a:PosSellDeleteOrCloseParm>"
        ),
        format!(
            "<PosSellDeleteOrCloseParm xmlns=\"{ns}\"><SenderBillNum>S-1</SenderBillNum>\
             <BillNum>B-1</BillNum></PosSellDeleteOrCloseParm>"
        ),
        // No namespace at all, and member names in another letter case.
        "<PosSellDeleteOrCloseParm><senderbillnum>S-1</senderbillnum><BILLNUM>B-1</BILLNUM>\
         </PosSellDeleteOrCloseParm>"
            .to_owned(),
        format!(
            "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n\
             <PosSellDeleteOrCloseParm xmlns=\"{ns}\">\r\n  <BillNum>B-1</BillNum>\r\n  \
             <SenderBillNum>S-1</SenderBillNum>\r\n</PosSellDeleteOrCloseParm>\r\n"
        ),
        format!(
            "<?xml version=\"1.0\" standalone=\"yes\"?><x:PosSellDeleteOrCloseParm \
             xmlns:x=\"{ns}\" xmlns:y=\"urn:other\"><y:Unknown><z>1</z></y:Unknown>\
             <x:BillNum>B-1</x:BillNum><x:SenderBillNum>S-1</x:SenderBillNum>\
             </x:PosSellDeleteOrCloseParm>"
        ),
    ] {
        assert_eq!(
            parse::<PosSellDeleteOrCloseParm>(xml.as_bytes()),
            expect,
            "{xml}"
        );
    }
    let missing: PosSellDeleteOrCloseParm =
        parse(b"<PosSellDeleteOrCloseParm><BillNum>B-1</BillNum></PosSellDeleteOrCloseParm>");
    assert_eq!(missing.sender_bill_num, None);
    let empty: PosSellDeleteOrCloseParm = parse(b"<PosSellDeleteOrCloseParm/>");
    assert_eq!(empty, PosSellDeleteOrCloseParm::default());
}

#[test]
fn a_member_repeated_is_read_as_its_last_as_in_json() {
    // .NET's DataContractSerializer would keep the first, dropping the repeat as it drops any
    // member out of order (CONTRACT §8); posbridge reads members in any order, so it takes the
    // last, as Json.NET does in JSON and BSON.
    let xml = b"<PosSellDeleteOrCloseParm><BillNum>B-1</BillNum><SenderBillNum>S-1</SenderBillNum>\
                <billnum>B-2</billnum></PosSellDeleteOrCloseParm>";
    let parm: PosSellDeleteOrCloseParm = parse(xml);
    assert_eq!(parm.bill_num.as_deref(), Some("B-2"));
    assert_eq!(
        parm,
        from_json(r#"{"BillNum": "B-1", "SenderBillNum": "S-1", "billnum": "B-2"}"#)
    );
}

#[test]
fn nested_lists_read_whatever_their_items_prefix() {
    let bill: PosSellFromWebInterfaceParm = parse(
        br#"<b:PosSellFromWebInterfaceParm xmlns:b="urn:b" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <b:Details>
                <c:Line xmlns:c="urn:c"><c:RetailPrice>12.50</c:RetailPrice><c:Unit xsi:nil="true"/></c:Line>
                <b:PosSellFromWebInterfaceDetailParm><b:ProductId>7</b:ProductId></b:PosSellFromWebInterfaceDetailParm>
              </b:Details>
              <b:MemberId> 42 </b:MemberId>
            </b:PosSellFromWebInterfaceParm>"#,
    );
    assert_eq!(bill.member_id, Some(42));
    let details = bill.details.unwrap();
    assert_eq!(details.len(), 2);
    assert_eq!(
        details[0].retail_price.map(|p| p.to_string()).as_deref(),
        Some("12.50")
    );
    assert_eq!(details[0].unit, None);
    assert_eq!(details[1].product_id, Some(7));
    let empty: PosSellFromWebInterfaceParm =
        parse(b"<PosSellFromWebInterfaceParm><Details/></PosSellFromWebInterfaceParm>");
    assert_eq!(empty.details, Some(Vec::new()));
}

#[test]
fn the_root_name_is_kept_for_callers_that_check_it() {
    let root =
        read_xml_root(b"<q:error_response xmlns:q='urn:q'><code>25</code></q:error_response>")
            .unwrap();
    assert_eq!(root.name, "error_response");
    assert_eq!(shape(&root.node), r#"{code:"25"}"#);
}

#[test]
fn qimen_documents_read_into_their_dtos() {
    let request: QimenRequest = parse(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<request>\n  <actionType>add</actionType>\n  \
         <clerks>\n    <clerk><storeCode>S01</storeCode><clerkCode>C1</clerkCode>\
         <extendProps><a>1</a><b></b></extendProps></clerk>\n    \
         <clerk><storeCode>S01</storeCode><clerkCode>C2</clerkCode>\
         <contactInfo><name>王</name><mobile>138</mobile></contactInfo></clerk>\n  \
         </clerks>\n</request>"
            .as_bytes(),
    );
    assert_eq!(request.action_type.as_deref(), Some("add"));
    let clerks = request.clerks.unwrap();
    assert_eq!(clerks.len(), 2);
    let props = clerks[0].extend_props.as_ref().unwrap();
    assert_eq!(props.get("a").map(String::as_str), Some("1"));
    assert_eq!(props.get("b").map(String::as_str), Some(""));
    let contact = clerks[1].contact_info.as_ref().unwrap();
    assert_eq!(contact.name.as_deref(), Some("王"));
}
